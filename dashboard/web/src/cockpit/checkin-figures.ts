import type { Api } from '../api.js';

/** A grid's check-in points on today's routes and how many were visited. */
export interface CheckinCount {
  points: number;
  visited: number;
}

/**
 * Today's check-in coverage per grid (定点签到), loaded once for the map's grid
 * colouring and the list under the field panel, so both show the same figures.
 * From the evaluation (GET /api/field/review, cut to the user's area by the
 * hub); only roles that oversee field work get them: a 403 is remembered
 * (`refused`) and nothing is asked again.
 */
export class CheckinFigures {
  /** Per grid code; null until the first load answered. */
  grids: ReadonlyMap<string, CheckinCount> | null = null;
  refused = false;
  private loading = false;

  constructor(
    private readonly api: Api,
    private readonly onChange: () => void,
  ) {}

  /** Whether the figures can colour anything: loaded, and not refused. */
  get ready(): boolean {
    return this.grids !== null && !this.refused;
  }

  /** Loads today's figures (a load already under way is not repeated); calls onChange when done. */
  async load(): Promise<void> {
    if (this.loading || this.refused) return;
    this.loading = true;
    const from = new Date().setHours(0, 0, 0, 0);
    try {
      const rows = (await this.api.get('/api/field/review', { from, to: Date.now() })).grids;
      // A new map only when a figure changed: the map's memo compares by identity and would rebuild the grids.
      const next = new Map(rows.map((r) => [r.key, { points: r.points, visited: r.visited }]));
      if (!this.grids || !same(this.grids, next)) this.grids = next;
    } catch (err) {
      if ((err as { status?: number }).status === 403) this.refused = true;
      else console.warn('check-in coverage not loaded', err);
    } finally {
      this.loading = false;
    }
    this.onChange();
  }
}

function same(a: ReadonlyMap<string, CheckinCount>, b: ReadonlyMap<string, CheckinCount>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of b) {
    const w = a.get(k);
    if (!w || w.points !== v.points || w.visited !== v.visited) return false;
  }
  return true;
}
