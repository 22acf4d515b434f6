import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * The REST side is checked by count-endpoints.test.ts (every other GET answers the same when the
 * register changes); this covers what that cannot call, such as the Socket.IO namespaces behind the
 * wall's KPI tiles: only the register's own folder, the hub that builds it and the people and unmask routes
 * reach the register or its tables, so no other reply can carry a figure computed from it.
 */
it('keeps the register reachable only from people/, the hub that builds it and the people and unmask routes', () => {
  // The unmask route reads one record (gated, audited): records, not counts.
  const allowed = new Set([
    'hub.ts',
    'api/routes/deps.ts',
    'api/routes/people-routes.ts',
    'api/routes/unmask-routes.ts',
    // Before a city version is activated: one entry for all its vanished grids, the register's total
    // suppressed below 5 and shown whether or not anyone is registered there (city-store.test.ts checks it).
    'city/city-orphans.ts',
  ]);
  const reach = /PeopleRegister|ResidentStore|from '[^']*people\/|\.people\b|people_residents|people_imports/;
  const found = sources(SRC)
    .map((f) => relative(SRC, f).split('\\').join('/'))
    .filter((f) => !f.startsWith('people/') && reach.test(readFileSync(join(SRC, f), 'utf8')));
  expect(found.length).toBeGreaterThan(0);
  expect(found.filter((f) => !allowed.has(f))).toEqual([]);
});
