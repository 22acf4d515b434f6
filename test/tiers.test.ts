import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createVitest } from 'vitest/node';

const root = fileURLToPath(new URL('..', import.meta.url));
const SLOW = /\.slow\.test\.ts$/;

/** The unit project's files as Vitest itself globs them under `vitest.config.ts` for one tier. */
async function unitFiles(tier: 'fast' | 'full'): Promise<string[]> {
  const saved = process.env.LINLI_TEST_TIER;
  if (tier === 'fast') process.env.LINLI_TEST_TIER = 'fast';
  else delete process.env.LINLI_TEST_TIER;
  try {
    const v = await createVitest('test', { root, project: ['unit'], watch: false, reporters: [] });
    try {
      return (await v.globTestSpecifications()).map((s) => relative(root, s.moduleId)).sort();
    } finally {
      await v.close();
    }
  } finally {
    if (saved === undefined) delete process.env.LINLI_TEST_TIER;
    else process.env.LINLI_TEST_TIER = saved;
  }
}

/**
 * `npm run test:fast` leaves out exactly the unit files named `*.slow.test.ts`
 * (CONTRIBUTING.md, "Test tiers"), and `npm test` still runs every one of them.
 */
describe('test tiers', async () => {
  const full = await unitFiles('full');
  const fast = await unitFiles('fast');
  const slow = full.filter((f) => SLOW.test(f));

  it('the fast tier is the unit project minus its slow files, and the full suite runs every slow file', () => {
    expect(full.length).toBeGreaterThan(100);
    expect(slow.length).toBeGreaterThan(0);
    expect(fast).toEqual(full.filter((f) => !SLOW.test(f)));
    expect(fast.filter((f) => SLOW.test(f))).toEqual([]);
  });

  it('every slow file says on its first line why it is slow', () => {
    const unsaid = slow.filter(
      (f) => !readFileSync(`${root}/${f}`, 'utf8').startsWith('// Slow tier (npm test only, not npm run test:fast): '),
    );
    expect(unsaid).toEqual([]);
  });

  it('no fast file needs a service or a browser (PostgreSQL only through DIALECTS, SQLite-only in the fast tier)', () => {
    const needs = fast.filter((f) => {
      if (f === 'test/tiers.test.ts') return false; // names the patterns it looks for
      const src = readFileSync(`${root}/${f}`, 'utf8');
      if (/freshDb\('postgres'\)|launchChromium\(|REDIS_URL|redis:\/\//.test(src)) return true;
      return src.includes('TEST_PG_URL') && !/\bDIALECTS\b|describeEachDialect/.test(src);
    });
    expect(needs).toEqual([]);
  });
});
