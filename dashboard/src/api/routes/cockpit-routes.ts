import { Type } from '@sinclair/typebox';
import { can, scopePrefix } from '@linli/contract';
import { CELL_DECIMALS } from '../../store/rollups/cells.js';
import { ApiError } from '../api-error.js';
import type { Route } from '../route.js';
import { CockpitGeo } from './cockpit-geo.js';
import { CockpitQueries } from './cockpit-queries.js';
import type { ApiDeps } from './deps.js';

const DAY = 86_400_000;
const MAX_CELLS = 50_000;
const MAX_WINDOW_MS = 366 * DAY;

const Window = Type.Object(
  {
    from: Type.Integer({ minimum: 0 }),
    to: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

function checkWindow(from: number, to: number): void {
  if (to <= from || to - from > MAX_WINDOW_MS)
    throw new ApiError(400, 'INVALID_WINDOW', '时间窗口无效：to 须晚于 from，且不超过 366 天 (invalid time window)');
}

/**
 * What the cockpit's layers and the street leader's review read, aggregated
 * on the server and cut to the caller's area: no raw events, no people.
 */
export function cockpitRoutes(d: ApiDeps): Route[] {
  const geo = new CockpitGeo(() => d.city.current());
  const q = new CockpitQueries(d.store.db);

  return [
    {
      method: 'GET',
      path: '/api/area-tree',
      tag: 'cockpit',
      access: 'view',
      summary: 'Codes, names, levels and parents of the areas inside yours and the chain above it (for the breadcrumb)',
      handler: ({ principal }) => ({
        ok: true,
        city: geo.cityInfo(),
        areas: geo.areaTree(scopePrefix(principal.user.areaCode), principal.user.areaCode),
      }),
    },
    {
      method: 'GET',
      path: '/api/heatmap',
      tag: 'cockpit',
      access: 'view',
      summary:
        'Events in a time window inside your area, counted per ~110 m cell on the server (cell centre and count only)',
      query: Type.Object(
        { ...Window.properties, kinds: Type.Optional(Type.String({ maxLength: 500, pattern: '^[a-z._,]*$' })) },
        { additionalProperties: false },
      ),
      handler: async ({ principal, query, res }) => {
        const { from, to } = query as { from: number; to: number };
        checkWindow(from, to);
        const kinds = typeof query.kinds === 'string' && query.kinds ? query.kinds.split(',') : null;
        const t0 = performance.now();
        const read = await q.heatRead(principal.user.areaCode, from, to, kinds);
        const rows = read.cells;
        // How the answer was read, for browser dev tools and the benchmark (which waits for the folds).
        res.setHeader(
          'server-timing',
          `heat;dur=${(performance.now() - t0).toFixed(1)};desc="buckets ${read.buckets}, folded ${read.folded}, waiting ${read.waiting}"`,
        );
        const shown = rows.slice(0, MAX_CELLS);
        // Flat arrays: 1M events fold into a few thousand cells (a city's devices: tens of thousands), sent as
        // two compact lists, filled in one pass (flatMap made an array per cell). Whole cell numbers: JSON writes
        // and parses integers far faster than the same degrees (~15 ms less per read for the 15,000-grid city's 37,276 cells).
        const perDegree = 10 ** CELL_DECIMALS;
        const cellOf = (v: number | null) => (v === null ? null : Math.round(v * perDegree));
        const cells = new Array<number | null>(shown.length * 2);
        const weights = new Array<number>(shown.length);
        let total = 0;
        for (let i = 0; i < shown.length; i++) {
          const c = shown[i]!;
          cells[2 * i] = cellOf(c.x);
          cells[2 * i + 1] = cellOf(c.y);
          weights[i] = c.n;
          total += c.n;
        }
        return {
          ok: true,
          from,
          to,
          cellDegrees: 1 / perDegree,
          total,
          cells,
          weights,
          truncated: rows.length > MAX_CELLS,
        };
      },
    },
    {
      method: 'GET',
      path: '/api/event-count',
      tag: 'cockpit',
      access: 'view',
      summary:
        'How many events the hub holds inside your area for a time window (by receipt time): the cockpit KPIs count from this, live events only add to it',
      query: Window,
      handler: async ({ principal, query }) => {
        const { from, to } = query as { from: number; to: number };
        checkWindow(from, to);
        return { ok: true, from, to, events: await q.countEvents(principal.user.areaCode, from, to) };
      },
    },
    {
      method: 'GET',
      path: '/api/review',
      tag: 'cockpit',
      access: 'view',
      summary:
        'Per grid inside your area, for a period and the one before it: alerts, critical alerts, mean time to acknowledge and resolve, events; plus per-day totals',
      query: Window,
      handler: async ({ principal, query }) => {
        const { from, to } = query as { from: number; to: number };
        checkWindow(from, to);
        const len = to - from;
        const area = principal.user.areaCode;
        const [current, before, days] = await Promise.all([
          q.review(area, from, to),
          q.review(area, from - len, from),
          q.alertsByDay(area, from, to),
        ]);
        return {
          ok: true,
          period: { from, to },
          previous: { from: from - len, to: from },
          current,
          before,
          days,
        };
      },
    },
    {
      method: 'GET',
      path: '/api/coverage',
      tag: 'cockpit',
      access: 'view',
      summary:
        'Service coverage per grid inside your area (15-minute walk) and the facilities there; computed in the background after the active city is activated (`ready: false` until then)',
      handler: ({ principal }) => ({ ok: true, ...geo.coverage(scopePrefix(principal.user.areaCode)) }),
    },
    {
      method: 'GET',
      path: '/api/patrols',
      tag: 'cockpit',
      access: 'view',
      summary:
        'Grid-worker patrol tracks inside your area for the day containing `at`: real ones (recorded by the phone app) for roles that oversee field work, SYNTHETIC demo tracks for grids without any',
      query: Type.Object({ at: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false }),
      handler: async ({ principal, query, now }) => {
        const prefix = scopePrefix(principal.user.areaCode);
        const demo = geo.patrols(prefix, (query.at as number | undefined) ?? now);
        // Real tracks show where people were: only to roles over their area that oversee field work.
        const real = can(principal.user.role, 'field_oversee')
          ? await d.field.dayTracks(
              [prefix],
              demo.day,
              async (id) => (await d.auth.users.byId(id))?.displayName ?? '网格员',
            )
          : [];
        const realGrids = new Set(real.map((t) => t.grid));
        const synthetic = demo.tracks.filter((t) => !realGrids.has(t.grid));
        return {
          ok: true,
          synthetic: synthetic.length > 0,
          real: real.length,
          day: demo.day,
          tracks: [...real, ...synthetic],
        };
      },
    },
  ];
}
