import type { Facility, Home } from '../coverage/types.js';
import type { Ring } from '../types.js';

/** Road classes, widest first; the basemap styles draw them at different widths. */
export type StreetKind = 'primary' | 'residential' | 'path';

export interface StreetFeature {
  type: 'Feature';
  properties: { name: string; kind: StreetKind };
  geometry: { type: 'LineString'; coordinates: [number, number][] };
}

export interface AreaFeature<P> {
  type: 'Feature';
  properties: P;
  geometry: { type: 'Polygon'; coordinates: Ring[] };
}

export type WaterFeature = AreaFeature<{ name: string; kind: 'river' | 'lake' }>;
export type ParkFeature = AreaFeature<{ name: string }>;

/** A service facility with its Chinese name (养老服务站, 社区卫生服务站 …). */
export interface DemoFacility extends Facility {
  name: string;
}

/** A synthetic household: a home point with its 栋-单元-室 code, e.g. `7-2-301`. */
export interface DemoHousehold extends Home {
  code: string;
}

/** Everything on the demo city's map besides the area tree. Made up, like the city itself. */
export interface DemoFeatures {
  disclaimer: string;
  seed: number;
  streets: StreetFeature[];
  water: WaterFeature[];
  parks: ParkFeature[];
  facilities: DemoFacility[];
  households: DemoHousehold[];
}
