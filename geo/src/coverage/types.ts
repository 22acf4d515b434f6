/** Services whose walking reach the 15-minute life circle (15分钟生活圈) is judged by. */
export type ServiceType = 'elderly-care' | 'clinic' | 'canteen' | 'convenience' | 'park';

export const SERVICE_TYPES: readonly ServiceType[] = ['elderly-care', 'clinic', 'canteen', 'convenience', 'park'];

export interface Facility {
  id: string;
  type: ServiceType;
  /** [lng, lat], WGS-84. */
  position: [number, number];
}

export interface Home {
  id: string;
  /** [lng, lat], WGS-84. */
  position: [number, number];
  /** Code of the grid the home belongs to. */
  grid: string;
  /** An older person living alone (独居老人): their share is reported on its own. */
  loneElder: boolean;
}
