/** Levels of the governance grid hierarchy (市 → 区 → 街道 → 社区 → 网格). */
export type AreaLevel = 'city' | 'district' | 'street' | 'community' | 'grid';

/** A ring of [lng, lat] positions, closed (first equals last), WGS-84. */
export type Ring = [number, number][];

export interface Area {
  /** Admin-division style code: 6 digits county, +3 street, +3 community, +3 grid. */
  code: string;
  name: string;
  level: AreaLevel;
  parent: string | null;
  /** Outer ring only; demo areas have no holes. Null for levels drawn from their children. */
  ring: Ring | null;
}

export interface AreaTree {
  /** Says plainly that positions and shapes are made up. */
  disclaimer: string;
  seed: number;
  areas: Area[];
}
