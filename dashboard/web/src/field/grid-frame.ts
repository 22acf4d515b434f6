/** A point as the phone and the hub write it. */
export interface LngLat {
  lng: number;
  lat: number;
}

/** The SVG's own units; the element scales to the card's width. */
export const VIEW = { width: 320, height: 200, pad: 12 } as const;

/**
 * A grid's outline fitted into the view box: an equirectangular projection
 * scaled by the cosine of the grid's latitude (true enough for a few hundred
 * metres), both ways, so a tap can be turned back into a position.
 */
export function frameFor(ring: readonly (readonly [number, number])[]) {
  const lngs = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  const [minLng, maxLng, minLat, maxLat] = [Math.min(...lngs), Math.max(...lngs), Math.min(...lats), Math.max(...lats)];
  const cos = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxLng - minLng) * cos, 1e-9);
  const spanY = Math.max(maxLat - minLat, 1e-9);
  const k = Math.min((VIEW.width - 2 * VIEW.pad) / spanX, (VIEW.height - 2 * VIEW.pad) / spanY);
  // Centred in the box whichever side is the tight one.
  const ox = (VIEW.width - spanX * k) / 2;
  const oy = (VIEW.height - spanY * k) / 2;
  return {
    toXY: (p: LngLat): [number, number] => [ox + (p.lng - minLng) * cos * k, oy + (maxLat - p.lat) * k],
    toLngLat: (x: number, y: number): LngLat => ({ lng: minLng + (x - ox) / (cos * k), lat: maxLat - (y - oy) / k }),
  };
}

/** True when the point lies inside the ring (ray casting; the ring's closing point may repeat the first). */
export function insideRing(p: LngLat, ring: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > p.lat !== yj > p.lat && p.lng < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
