import { haversine, pointInRing, type Ring } from '@linli/geo';

/**
 * Metres from a point to a ring: 0 inside, else to the nearest edge. Edges
 * are measured in a local flat projection around the point, which is exact
 * enough at the scale of a grid (a few hundred metres).
 */
export function metresToRing(lng: number, lat: number, ring: Ring): number {
  if (pointInRing(lng, lat, ring)) return 0;
  const kx = haversine(lng, lat, lng + 0.01, lat) / 0.01;
  const ky = haversine(lng, lat, lng, lat + 0.01) / 0.01;
  let best = Infinity;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [ax, ay] = ring[i]!;
    const [bx, by] = ring[i + 1]!;
    const a = [(ax - lng) * kx, (ay - lat) * ky] as const;
    const b = [(bx - lng) * kx, (by - lat) * ky] as const;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(a[0] * dx + a[1] * dy) / len2));
    best = Math.min(best, Math.hypot(a[0] + t * dx, a[1] + t * dy));
  }
  return best;
}

/** Metres between two points. */
export const metresBetween = (a: { lng: number; lat: number }, b: { lng: number; lat: number }): number =>
  haversine(a.lng, a.lat, b.lng, b.lat);
