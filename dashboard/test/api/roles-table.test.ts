import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { ROLES } from '@linli/contract';
import { inertDeps, rolesTable, spliceRolesTable } from '../../src/api/roles-table.js';
import { apiRoutes } from '../../src/api/routes/index.js';

const file = fileURLToPath(new URL('../../../docs/hub.md', import.meta.url));
const routes = apiRoutes(inertDeps(), 'docs');

describe('docs/hub.md roles table', () => {
  it('is exactly what the code generates (run `node scripts/roles-table.mjs` after changing roles or routes)', async () => {
    const doc = readFileSync(file, 'utf8');
    const config = (await prettier.resolveConfig(file)) ?? {};
    const expected = await prettier.format(spliceRolesTable(doc, rolesTable(routes)), { ...config, filepath: file });
    expect(doc).toBe(expected);
  });

  it('changes when a route’s permission, step-up or audit changes, so a drift would be caught', () => {
    const before = rolesTable(routes);
    const i = routes.findIndex((r) => r.path === '/api/population/records/:id/unmask');
    expect(i).toBeGreaterThanOrEqual(0);
    const changed = routes.map((r, j) => (j === i ? { ...r, stepUp: false, audits: [] } : r));
    expect(rolesTable(changed)).not.toBe(before);
    expect(rolesTable(routes.map((r, j) => (j === i ? { ...r, access: 'view' as const } : r)))).not.toBe(before);
  });

  it('says no role unmasks by itself, and names every role once', () => {
    const t = rolesTable(routes);
    expect(t).toContain('no role; granted per user to `community_worker`, `grid_worker`, `judicial`');
    for (const r of ROLES) expect(t.split('\n').filter((l) => l.startsWith(`| \`${r}\` |`))).toHaveLength(1);
  });
});
