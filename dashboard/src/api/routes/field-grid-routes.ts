import { inScope } from '@linli/contract';
import type { Route } from '../route.js';
import type { ApiDeps } from './deps.js';

/** More than any community has; a worker scoped wider than that draws only the grids of their tasks. */
const MAX_AREA_GRIDS = 300;
/** Six decimals is 0.1 m: more would only weigh on a phone with bad coverage. */
const round = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * The grid outlines the phone draws as a light SVG (no map library on a cheap
 * phone): every grid of the worker's area, and the grids of the tasks
 * dispatched to them wherever those lie. Outlines only, no people.
 */
export function fieldGridRoutes(d: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/field/grids',
      tag: 'field',
      access: 'field_work',
      summary: 'Outlines of the grids in your area and of your tasks’ grids, for the phone’s small maps',
      handler: async ({ principal: p }) => {
        const index = d.city.current().index;
        const codes = new Set<string>();
        const inArea = [...index.byCode.values()].filter((a) => a.level === 'grid' && inScope(p.user.areaCode, a.code));
        if (inArea.length <= MAX_AREA_GRIDS) for (const a of inArea) codes.add(a.code);
        for (const t of await d.field.tasks(p.user.id)) codes.add(t.gridId);
        const grids = [...codes].sort().flatMap((code) => {
          const a = index.byCode.get(code);
          return a?.ring && a.ring.length >= 3
            ? [{ code, name: a.name, ring: a.ring.map(([lng, lat]) => [round(lng), round(lat)] as [number, number]) }]
            : [];
        });
        return { ok: true, grids };
      },
    },
  ];
}
