import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.js';
import { CATEGORIES, type Category } from '../../src/people/categories.js';
import { PeopleRegister } from '../../src/people/register.js';
import type { ResidentInput } from '../../src/people/types.js';
import { FieldCrypto } from '../../src/privacy/field-crypto.js';
import { idCheckChar } from '../../src/privacy/resident-id.js';
import { possibleHiddenValues } from '../privacy/attacker.js';
import { describeEachDialect } from '../support/dialects.js';
import { areas, viewer } from './fixture.js';

const COMMUNITY = '341302001001';
const grids = [...areas.byCode.values()]
  .filter((a) => a.level === 'grid' && a.code.startsWith(COMMUNITY))
  .map((a) => a.code);

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

describeEachDialect('countsByGrid over random registers', (ctx) => {
  it('never shows a count under 5, never lets a total give a hidden cell away, and matches the truth', async () => {
    expect(grids.length).toBeGreaterThan(2);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 0, max: grids.length - 1 }), fc.constantFrom(...CATEGORIES), fc.nat(3)), {
          maxLength: 160,
        }),
        async (entries) => {
          // A fresh register each run: the same database, emptied.
          await ctx.db.run('DELETE FROM people_residents');
          await ctx.db.run('DELETE FROM people_imports');
          const crypto = new FieldCrypto(randomBytes(32));
          const register = new PeopleRegister(ctx.db, crypto, new AuditLog(ctx.db), areas);
          // fc.nat(3) piles some entries onto a few grids so both small and large cells occur.
          const records = entries.map(([g, c, skew], i) => resident(i, grids[skew === 0 ? 0 : g]!, c));
          await register.store.insertAll(records, 'test', 'test');
          for (const v of [viewer('community_worker', COMMUNITY), viewer('judicial', COMMUNITY)]) {
            const rows = await register.countsByGrid(v);
            expect(rows.map((r) => r.gridCode)).toEqual(grids);
            for (const row of rows) {
              const truth = records.filter(
                (r) => r.gridCode === row.gridCode && (v.role === 'judicial' || r.category !== 'community_correction'),
              );
              for (const value of [...Object.values(row.cells), row.total])
                if (typeof value === 'number') expect(value === 0 || value >= 5).toBe(true);
              for (const [c, value] of Object.entries(row.cells)) {
                const n = truth.filter((r) => r.category === c).length;
                if (typeof value === 'number') expect(value).toBe(n);
                else expect(n).toBeGreaterThan(0);
              }
              if (typeof row.total === 'number') {
                expect(row.total).toBe(truth.length);
                for (const s of possibleHiddenValues(row)) expect(s.size).toBeGreaterThanOrEqual(2);
              }
            }
            // A one-category query shows exactly what the full row shows (no complement readable alone).
            for (const c of ['lone_elder', 'disabled'] as const) {
              const one = await register.countsByGrid(v, c);
              expect(one.map((r) => r.cells[c])).toEqual(rows.map((r) => r.cells[c]));
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
