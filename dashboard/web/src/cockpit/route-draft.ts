import type { FieldRouteInput } from '@linli/contract';
import { insideRing } from '../field/grid-frame.js';

/** A check-in point being placed: where it was clicked and its (editable) name. */
export interface DraftPoint {
  name: string;
  lng: number;
  lat: number;
}

/** The hub takes at most this many points per route (FieldRouteInputSchema). */
export const MAX_ROUTE_POINTS = 50;
/** Names are at most this long on the hub (FieldRouteInputSchema). */
export const MAX_NAME = 64;

export type AddResult = 'added' | 'outside' | 'full';

/**
 * A patrol route being drawn in one grid (pure, no DOM): points in click
 * order, each named 签到点N until renamed, refused outside the grid's ring.
 * The page refuses any point outside; the hub would still take one up to
 * 100 m out, but a planner clicking outside has almost always missed.
 */
export class RouteDraft {
  readonly points: DraftPoint[] = [];
  name = '';

  constructor(
    readonly gridId: string,
    private readonly ring: readonly (readonly [number, number])[],
    /** The default name of the n-th point (1-based), in the page's language. */
    private readonly pointName: (n: number) => string,
  ) {}

  add(lng: number, lat: number): AddResult {
    if (this.points.length >= MAX_ROUTE_POINTS) return 'full';
    if (!insideRing({ lng, lat }, this.ring)) return 'outside';
    this.points.push({ name: this.pointName(this.points.length + 1), lng, lat });
    return 'added';
  }

  undo(): void {
    this.points.pop();
  }

  rename(i: number, name: string): void {
    const p = this.points[i];
    if (p) p.name = name.slice(0, MAX_NAME);
  }

  /** What is missing before it can be saved (zh/en keys), or the body for POST /api/field/routes. */
  toInput(): { ok: true; input: FieldRouteInput } | { ok: false; missing: 'name' | 'points' | 'point-name' } {
    const name = this.name.trim();
    if (!name) return { ok: false, missing: 'name' };
    if (this.points.length === 0) return { ok: false, missing: 'points' };
    if (this.points.some((p) => !p.name.trim())) return { ok: false, missing: 'point-name' };
    return {
      ok: true,
      input: {
        gridId: this.gridId,
        name: name.slice(0, MAX_NAME),
        points: this.points.map((p) => ({ name: p.name.trim(), lng: p.lng, lat: p.lat })),
      },
    };
  }
}
