import { expect, it } from 'vitest';
import { DEFAULT_TTL_MS, EnrollmentCodes, MAX_TTL_MS, normaliseCode } from '../../src/enrollment/enrollment-codes.js';
import { describeEachDialect } from '../support/dialects.js';

const T0 = Date.UTC(2024, 5, 1, 8, 0, 0);
const COMMUNITY = '341302001001';
const OTHER = '341302002001';

/** One-time enrollment codes on SQLite and PostgreSQL; two EnrollmentCodes objects stand for two hub nodes. */
describeEachDialect('enrollment codes', (ctx) => {
  it('issues a readable code stored only as a hash, for 30 minutes by default, at most a day', async () => {
    const codes = new EnrollmentCodes(ctx.db);
    const c = await codes.issue('gw-01', COMMUNITY, 'u1', T0);
    expect(c.code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(c).toMatchObject({ gatewayId: 'gw-01', areaCode: COMMUNITY, expiresAt: T0 + DEFAULT_TTL_MS });
    expect(JSON.stringify(await ctx.db.all('SELECT * FROM enrollment_codes'))).not.toContain(normaliseCode(c.code));
    const long = await codes.issue('gw-02', COMMUNITY, 'u1', T0, 7 * MAX_TTL_MS);
    expect(long.expiresAt).toBe(T0 + MAX_TTL_MS);
  });

  it('redeems once, however it was typed; then says used', async () => {
    const codes = new EnrollmentCodes(ctx.db);
    const c = await codes.issue('gw-01', COMMUNITY, 'u1', T0);
    const typed = c.code.toLowerCase().replace(/-/g, ' ');
    expect(await codes.redeem(typed, undefined, T0 + 1)).toEqual({
      gatewayId: 'gw-01',
      areaCode: COMMUNITY,
      createdBy: 'u1',
    });
    expect(await codes.redeem(c.code, undefined, T0 + 2)).toEqual({ failure: 'used' });
    expect(await codes.redeem(c.code, 'gw-01', T0 + 2)).toEqual({ failure: 'used' });
  });

  it('refuses unknown, expired and other-gateway codes without spending them', async () => {
    const codes = new EnrollmentCodes(ctx.db);
    expect(await codes.redeem('AAAA-BBBB-CCCC', undefined, T0)).toEqual({ failure: 'unknown' });
    const stale = await codes.issue('gw-01', COMMUNITY, 'u1', T0 - 2 * 3600_000);
    expect(await codes.redeem(stale.code, 'gw-01', T0)).toEqual({ failure: 'expired' });
    const c = await codes.issue('gw-01', COMMUNITY, 'u1', T0);
    expect(await codes.redeem(c.code, 'gw-other', T0 + 1)).toEqual({ failure: 'wrong-gateway' });
    // Still good for the gateway it was issued for.
    expect(await codes.redeem(c.code, 'gw-01', T0 + 2)).toMatchObject({ gatewayId: 'gw-01' });
    // Exactly at its expiry it is expired.
    const edge = await codes.issue('gw-02', COMMUNITY, 'u1', T0, 60_000);
    expect(await codes.redeem(edge.code, undefined, T0 + 60_000)).toEqual({ failure: 'expired' });
  });

  it('lists pending codes inside an area scope, never the codes', async () => {
    const codes = new EnrollmentCodes(ctx.db);
    const a = await codes.issue('gw-a', COMMUNITY, 'u1', T0, 20 * 60_000);
    await codes.issue('gw-b', COMMUNITY, 'u1', T0, 10 * 60_000);
    await codes.issue('gw-c', OTHER, 'u2', T0);
    const used = await codes.issue('gw-d', COMMUNITY, 'u1', T0);
    await codes.redeem(used.code, undefined, T0 + 1);
    await codes.issue('gw-e', COMMUNITY, 'u1', T0 - DEFAULT_TTL_MS);
    const pending = await codes.pending('341302001', T0 + 2);
    expect(pending).toEqual([
      { gatewayId: 'gw-b', areaCode: COMMUNITY, createdBy: 'u1', expiresAt: T0 + 10 * 60_000 },
      { gatewayId: 'gw-a', areaCode: COMMUNITY, createdBy: 'u1', expiresAt: a.expiresAt },
    ]);
    expect((await codes.pending('3413', T0 + 2)).map((p) => p.gatewayId)).toEqual(['gw-b', 'gw-a', 'gw-c']);
    expect(JSON.stringify(pending)).not.toContain(a.code);
  });

  it('one code redeemed by many callers on two nodes at once has exactly one winner', async () => {
    const nodes = [new EnrollmentCodes(ctx.db), new EnrollmentCodes(ctx.db)];
    const c = await nodes[0]!.issue('gw-01', COMMUNITY, 'u1', T0);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => nodes[i % 2]!.redeem(c.code, i % 3 ? 'gw-01' : undefined, T0 + 1)),
    );
    expect(results.filter((r) => !('failure' in r))).toHaveLength(1);
    expect(results.filter((r) => 'failure' in r)).toEqual(Array(7).fill({ failure: 'used' }));
  });
});
