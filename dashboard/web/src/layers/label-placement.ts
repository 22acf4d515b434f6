/**
 * Map labels without overlaps: every label the layers want is placed in
 * priority order, at its anchor or just below or above it, and dropped when
 * every spot collides with a label already placed or an obstacle (an alert
 * symbol). Boxes are screen pixels measured in the label's own font, so the
 * page can tell (and a test can check) exactly where each label sits.
 */

/** A label one of the layers would like drawn. */
export interface LabelWish {
  /** The TextLayer it is drawn by. */
  layer: 'area-names' | 'population-counts' | 'maintenance-badges';
  position: [number, number];
  text: string;
  /** Font size, pixels. */
  size: number;
  /** Higher is placed first. */
  priority: number;
  /** The offset the label prefers (a badge sits above its area's name). */
  offset?: [number, number];
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PlacedLabel extends LabelWish {
  offset: [number, number];
  box: Box;
}

/** The halo around glyphs (TextLayer outlineWidth) plus a little air between labels. */
const PAD = 4;

export const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * How far beyond each side of the view labels are placed, px. A pan that
 * stays within it moves the placed labels with the map instead of placing
 * them again: no label pops in or out under the pointer while the map is
 * dragged (as MapLibre's own labels behave), and a city's 1,500 community
 * names are not placed on every frame of a pan. A quarter of a 1920 px wall.
 */
export const LABEL_MARGIN_PX = 480;

/**
 * Places the wishes anchored inside the viewport, grown by `viewport.margin`
 * on every side (0 by default), highest priority first, each clear of the
 * labels already kept and of the obstacles.
 */
export function placeLabels(
  wishes: readonly LabelWish[],
  project: (p: [number, number]) => { x: number; y: number },
  measure: (text: string, size: number) => number,
  obstacles: readonly Box[],
  viewport: { width: number; height: number; margin?: number },
): PlacedLabel[] {
  const m = viewport.margin ?? 0;
  const placed: PlacedLabel[] = [];
  const taken = new BoxBuckets();
  for (const o of obstacles) taken.add(o);
  const order = [...wishes].sort((a, b) => b.priority - a.priority);
  for (const w of order) {
    const p = project(w.position);
    if (!Number.isFinite(p.x) || p.x < -m || p.y < -m || p.x > viewport.width + m || p.y > viewport.height + m)
      continue;
    const half = measure(w.text, w.size) / 2 + PAD;
    const h = (w.size * 1.25) / 2 + PAD;
    const base = w.offset ?? [0, 0];
    const step = w.size * 1.4;
    for (const dy of [0, step, -step]) {
      const offset: [number, number] = [base[0], base[1] + dy];
      const cx = p.x + offset[0];
      const cy = p.y + offset[1];
      const box = { x0: cx - half, y0: cy - h, x1: cx + half, y1: cy + h };
      if (taken.hits(box)) continue;
      taken.add(box);
      placed.push({ ...w, offset, box });
      break;
    }
  }
  return placed;
}

/**
 * Boxes bucketed by the screen cells they cover, so a candidate is tested only
 * against boxes near it: a city's 1,500 community names were 1,500 × every
 * label placed so far, on every frame of a pan.
 */
class BoxBuckets {
  private static readonly CELL = 128;
  private readonly cells = new Map<number, Box[]>();

  private *keys(b: Box): Generator<number> {
    const c = BoxBuckets.CELL;
    for (let i = Math.floor(b.x0 / c); i <= Math.floor(b.x1 / c); i++)
      for (let j = Math.floor(b.y0 / c); j <= Math.floor(b.y1 / c); j++) yield i * 65_536 + j;
  }

  add(b: Box): void {
    for (const k of this.keys(b)) {
      const cell = this.cells.get(k);
      if (cell) cell.push(b);
      else this.cells.set(k, [b]);
    }
  }

  hits(b: Box): boolean {
    for (const k of this.keys(b)) if (this.cells.get(k)?.some((t) => overlaps(t, b))) return true;
    return false;
  }
}

/** A square obstacle around a symbol of `radius` pixels at `p`. */
export function symbolBox(p: { x: number; y: number }, radius: number): Box {
  return { x0: p.x - radius, y0: p.y - radius, x1: p.x + radius, y1: p.y + radius };
}
