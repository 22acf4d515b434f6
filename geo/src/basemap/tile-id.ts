/**
 * PMTiles v3 tile ID: tiles of lower zooms first, then along a Hilbert curve
 * within a zoom, so neighbouring tiles sit near each other in the archive.
 */
export function zxyToTileId(z: number, x: number, y: number): number {
  if (z > 26) throw new RangeError(`zoom ${z} is beyond what a 53-bit tile ID can hold`);
  const n = 2 ** z;
  if (x < 0 || y < 0 || x >= n || y >= n) throw new RangeError(`tile ${z}/${x}/${y} is outside zoom ${z}`);
  let d = 0;
  let [px, py] = [x, y];
  for (let s = n / 2; s >= 1; s /= 2) {
    const rx = (px & s) > 0 ? 1 : 0;
    const ry = (py & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry === 0) {
      if (rx === 1) [px, py] = [n - 1 - px, n - 1 - py];
      [px, py] = [py, px];
    }
  }
  return (4 ** z - 1) / 3 + d;
}
