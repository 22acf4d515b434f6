import { type Box, close, grow, overlaps, type Pt, pt } from './geometry.js';
import type { ParkFeature, WaterFeature } from './types.js';

const PARK_NAMES = ['人民公园', '汴河公园', '三角洲公园', '拂晓园', '滨河绿地'];

/**
 * The river (新汴河, made up in shape) runs west to east through the widest
 * gap between the communities' latitude bands, so it crosses no compound;
 * avenues cross it on bridges (no shared vertex with the water).
 */
export function buildRiver(communityBoxes: readonly Box[], extent: Box, rnd: () => number): WaterFeature {
  const bands = communityBoxes.map((b) => [b.s, b.n] as const).sort((a, b) => a[0] - b[0]);
  let gap = { at: (extent.s + extent.n) / 2, width: 0 };
  let top = bands[0]![1];
  for (const [s, n] of bands.slice(1)) {
    if (s - top > gap.width) gap = { at: (s + top) / 2, width: s - top };
    top = Math.max(top, n);
  }
  const amp = Math.min(gap.width / 5, 0.001);
  const half = Math.min(gap.width / 6, 0.00028);
  const phase = rnd() * Math.PI * 2;
  const centre: Pt[] = [];
  for (let x = extent.w; x <= extent.e + 1e-9; x += (extent.e - extent.w) / 40)
    centre.push([x, gap.at + amp * Math.sin(phase + (x - extent.w) * 300)]);
  const north = centre.map(([x, y]) => pt(x, y + half));
  const south = centre.map(([x, y]) => pt(x, y - half));
  return {
    type: 'Feature',
    properties: { name: '新汴河', kind: 'river' },
    geometry: { type: 'Polygon', coordinates: [close([...south, ...north.reverse()])] },
  };
}

/** Finds a free box of the given size: clear of every taken box (communities, water, earlier parks). */
function place(taken: Box[], extent: Box, w: number, h: number, rnd: () => number): Box | null {
  for (let tries = 0; tries < 2000; tries++) {
    const x = extent.w + w + rnd() * (extent.e - extent.w - 2 * w);
    const y = extent.s + h + rnd() * (extent.n - extent.s - 2 * h);
    const box = { w: x - w / 2, s: y - h / 2, e: x + w / 2, n: y + h / 2 };
    if (!taken.some((t) => overlaps(grow(t, 0.0004), box))) return box;
  }
  return null;
}

/** Parks and one lake in free land; each is added to `taken`. */
export function buildGreenAndLake(
  taken: Box[],
  extent: Box,
  rnd: () => number,
): { parks: ParkFeature[]; lake: WaterFeature | null } {
  const parks: ParkFeature[] = [];
  for (const name of PARK_NAMES) {
    const box = place(taken, extent, 0.003 + rnd() * 0.003, 0.002 + rnd() * 0.002, rnd);
    if (!box) continue;
    taken.push(box);
    const j = () => (rnd() - 0.5) * 0.0004;
    const ring = close([
      pt(box.w + j(), box.s + j()),
      pt(box.e + j(), box.s + j()),
      pt(box.e + j(), box.n + j()),
      pt(box.w + j(), box.n + j()),
    ]);
    parks.push({ type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: [ring] } });
  }
  const lakeBox = place(taken, extent, 0.004, 0.0025, rnd);
  if (!lakeBox) return { parks, lake: null };
  taken.push(lakeBox);
  const [cx, cy] = [(lakeBox.w + lakeBox.e) / 2, (lakeBox.s + lakeBox.n) / 2];
  const ellipse: Pt[] = [];
  for (let k = 0; k < 24; k++) {
    const a = (k / 24) * Math.PI * 2;
    const r = 0.85 + rnd() * 0.15;
    ellipse.push(pt(cx + Math.cos(a) * 0.002 * r, cy + Math.sin(a) * 0.00125 * r));
  }
  return {
    parks,
    lake: {
      type: 'Feature',
      properties: { name: '拂晓湖', kind: 'lake' },
      geometry: { type: 'Polygon', coordinates: [close(ellipse)] },
    },
  };
}
