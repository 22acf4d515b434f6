import { expect, it } from 'vitest';
import { AREAS } from '../../../test/helpers/hub-fixture.js';
import { describeHubOnEachDialect } from './insider-hub.js';

/**
 * Issue 17, item 6: an existing account answered 429 LOCKED after five
 * failures, an unknown name 401 for ever, so an insider could list the
 * accounts. Both must answer alike, failure after failure.
 */
describeHubOnEachDialect('insider: login replies do not tell which names exist', (ctx) => {
  it('answers an unknown name exactly as an account: five 401s, then the same LOCKED with the same wait', async () => {
    const { h } = ctx;
    await h.user('real.person', 'street_leader', AREAS.streetA);
    const attempt = (username: string, i: number) =>
      h.api('POST', '/api/login', { body: { username, password: `Wrong-pass-${i}` } });
    const summary = (r: Awaited<ReturnType<typeof attempt>>) => ({
      status: r.status,
      code: r.body.error?.code,
      message: r.body.error?.message,
      retryAfter: r.headers.get('retry-after'),
    });
    for (let i = 0; i < 5; i++) {
      const real = summary(await attempt('real.person', i));
      const ghost = summary(await attempt('ghost.person', i));
      expect(real).toEqual({ status: 401, code: 'BAD_CREDENTIALS', message: real.message, retryAfter: null });
      expect(ghost).toEqual(real);
    }
    for (let i = 5; i < 7; i++) {
      const real = summary(await attempt('real.person', i));
      const ghost = summary(await attempt('ghost.person', i));
      expect(real.status).toBe(429);
      expect(real.code).toBe('LOCKED');
      expect(ghost.status).toBe(real.status);
      expect(ghost.code).toBe(real.code);
      expect(ghost.message).toBe(real.message);
      // Seconds until the lock ends: the two locks began a request apart, so they agree within a few seconds.
      expect(Math.abs(Number(ghost.retryAfter) - Number(real.retryAfter))).toBeLessThanOrEqual(5);
      expect(Number(ghost.retryAfter)).toBeGreaterThan(800);
    }
    // The counter for a name that is not an account lives in the database (every hub node sees it), hashed.
    const rows = await h.store.db.all<{ name_hash: string; failed: number }>(
      'SELECT name_hash, failed FROM login_failures',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.name_hash).not.toContain('ghost');
    expect(Number(rows[0]!.failed)).toBe(5);
  });

  it('keeps other unknown names unlocked: the lock is per name, like an account', async () => {
    const r = await ctx.h.api('POST', '/api/login', { body: { username: 'other.ghost', password: 'Wrong-pass-x' } });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('BAD_CREDENTIALS');
  });
});
