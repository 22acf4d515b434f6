import Flatbush from 'flatbush';

/** Mean Earth radius (IUGG), metres: the sphere every distance here is measured on. */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;
/** Metres per degree of latitude on that sphere (≈ 111,195 m). */
export const METRES_PER_DEGREE = EARTH_RADIUS_M * RAD;

/** Great-circle distance in metres between two WGS-84 positions (haversine, spherical). */
export function haversine(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const s = Math.sin(((lat2 - lat1) * RAD) / 2);
  const t = Math.sin(((lng2 - lng1) * RAD) / 2);
  const h = s * s + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * t * t;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Nearest-point queries over a fixed set of positions ([lng0, lat0, lng1, …]).
 * Flatbush ranks candidates in a local equirectangular projection centred on
 * the points' mean latitude (metres, within 0.5 % across ±50 km of it); the
 * distance reported is then the exact haversine to the point it ranked first.
 */
export class PointIndex {
  readonly size: number;
  private readonly positions: Float64Array;
  private readonly kx: number;
  private readonly tree: Flatbush | null;
  /** Haversine metres to the point the last `nearest` call found (Infinity if none). */
  lastMetres = Infinity;

  constructor(positions: Float64Array) {
    this.positions = positions;
    this.size = positions.length / 2;
    let lat = 0;
    for (let i = 1; i < positions.length; i += 2) lat += positions[i]!;
    this.kx = METRES_PER_DEGREE * Math.cos((this.size > 0 ? lat / this.size : 0) * RAD);
    if (this.size === 0) {
      this.tree = null;
      return;
    }
    this.tree = new Flatbush(this.size);
    for (let i = 0; i < this.size; i++) {
      const x = positions[2 * i]! * this.kx;
      const y = positions[2 * i + 1]! * METRES_PER_DEGREE;
      this.tree.add(x, y, x, y);
    }
    this.tree.finish();
  }

  /**
   * Index of the nearest point, or -1 if there are none or none within
   * `maxMetres`; its distance is left in `lastMetres`.
   */
  nearest(lng: number, lat: number, maxMetres = Infinity): number {
    this.lastMetres = Infinity;
    if (this.tree === null) return -1;
    // 1 % slack so the projection's scale error cannot drop a point just inside maxMetres.
    const found = this.tree.neighbors(lng * this.kx, lat * METRES_PER_DEGREE, 1, maxMetres * 1.01);
    const i = found[0];
    if (i === undefined) return -1;
    const metres = haversine(lng, lat, this.positions[2 * i]!, this.positions[2 * i + 1]!);
    if (metres > maxMetres) return -1;
    this.lastMetres = metres;
    return i;
  }
}
