import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Viewer } from '@linli/contract';
import { AuditLog } from '../../src/audit/audit-log.js';
import { CATEGORIES, type Category, visibleCategories } from '../../src/people/categories.js';
import { PeopleRegister } from '../../src/people/register.js';
import type { ResidentInput } from '../../src/people/types.js';
import { FieldCrypto } from '../../src/privacy/field-crypto.js';
import { idCheckChar } from '../../src/privacy/resident-id.js';
import { Attacker } from '../privacy/attacker.js';
import { cellName, exposures, hiddenCells, learnRows, type ViewRow } from '../privacy/published-view.js';
import { describeEachDialect } from '../support/dialects.js';
import { areas, viewer } from './fixture.js';

const STREET = '341302001';
const COMMUNITY = '341302001001';
const grids = [...areas.byCode.values()]
  .filter((a) => a.level === 'grid' && a.code.startsWith(STREET))
  .map((a) => a.code)
  .sort();

function resident(i: number, gridCode: string, category: Category): ResidentInput {
  const first17 = `341399${1950 + (i % 50)}0101${String(i % 1000).padStart(3, '0')}`;
  return {
    name: `测试居民${i}`,
    idNumber: first17 + idCheckChar(first17),
    phone: null,
    category,
    gridCode,
    address: null,
  };
}

/** Everything one viewer can get from the counts query: the full rows, and every one-category projection, twice. */
async function everythingVisible(register: PeopleRegister, v: Viewer): Promise<ViewRow[]> {
  const rows: ViewRow[] = [];
  for (let round = 0; round < 2; round++) {
    rows.push(...(await register.countsByGrid(v)));
    for (const c of visibleCategories(v.role)) rows.push(...(await register.countsByGrid(v, c)));
  }
  return rows;
}

describeEachDialect('countsByGrid against an attacker, over random registers', (ctx) => {
  it('shows every count ≥ 5 as itself, and leaves every hidden cell all of 0–4 whatever a viewer combines', async () => {
    expect(grids.length).toBeGreaterThan(4);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(grids.length - 1), fc.constantFrom(...CATEGORIES), fc.nat(3)), { maxLength: 200 }),
        async (entries) => {
          // A fresh register each run: the same database, emptied.
          await ctx.db.run('DELETE FROM people_residents');
          await ctx.db.run('DELETE FROM people_imports');
          const register = new PeopleRegister(ctx.db, new FieldCrypto(randomBytes(32)), new AuditLog(ctx.db), areas);
          // fc.nat(3) piles a quarter of the entries onto two grids, so both small and large cells occur.
          const records = entries.map(([g, c, skew], i) => resident(i, grids[skew === 0 ? i % 2 : g]!, c));
          await register.store.insertAll(records, 'test', 'test');
          const truth = (cell: string) => records.filter((r) => cellName(r.gridCode, r.category) === cell).length;
          for (const v of [
            viewer('street_leader', STREET),
            viewer('city_operator', '341300'),
            viewer('community_worker', COMMUNITY),
            viewer('judicial', STREET),
          ]) {
            const seen = await everythingVisible(register, v);
            for (const row of seen) {
              expect(row.gridCode.startsWith(v.areaCode === '341300' ? '3413' : v.areaCode)).toBe(true);
              for (const [c, value] of Object.entries(row.cells)) {
                expect(visibleCategories(v.role)).toContain(c);
                if (typeof value === 'number') expect(value).toBe(truth(cellName(row.gridCode, c)));
                else expect(truth(cellName(row.gridCode, c))).toBeLessThan(5);
              }
            }
            const att = new Attacker();
            learnRows(att, seen);
            expect(exposures(att, hiddenCells(seen), truth)).toEqual([]);
          }
        },
      ),
      { numRuns: 20 },
    );
    // A hang bound, not a speed check: each run stores 200 encrypted records and reads 30 replies.
  }, 300_000);
});
