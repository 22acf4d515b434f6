import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { type GatewayConnection, GatewayIdentity, type IdentityConflict } from '../../src/sockets/gateway-identity.js';

function conn(id: string, connectedAt: number, addr = '10.0.0.1') {
  const c: GatewayConnection & { kicked: boolean } = {
    id,
    data: { gatewayId: 'gw-1', connectedAt },
    handshake: { address: addr },
    kicked: false,
    disconnect() {
      c.kicked = true;
    },
  };
  return c;
}

function setup(live: GatewayConnection[]) {
  let now = 100_000;
  const reports: IdentityConflict[] = [];
  const lines: string[] = [];
  const log = createLogger('t', 'debug', { write: (l: string) => void lines.push(l) });
  const g = new GatewayIdentity(
    async () => live,
    log,
    (c) => reports.push(c),
    10_000,
    () => now,
  );
  return { g, reports, lines, advance: (ms: number) => (now += ms), now: () => now };
}

describe('GatewayIdentity (one writer per gateway id)', () => {
  it('refuses a newcomer while the live connection is younger than the tenure, with a code and a retry hint', async () => {
    const t = setup([conn('a', 95_000)]);
    const err = await t.g.admit('gw-1', '10.0.0.9');
    expect(err?.message).toMatch(/^duplicate: /);
    expect((err as unknown as { data: unknown }).data).toEqual({ code: 'DUPLICATE_IDENTITY', retryAfterMs: 5000 });
    t.advance(5000);
    expect(await t.g.admit('gw-1', '10.0.0.9')).toBeNull();
  });

  it('lets the newest connection end the older ones, never the other way round', async () => {
    const old = conn('a', 1000);
    const mid = conn('b', 50_000);
    const me = conn('c', 60_000);
    const t = setup([old, mid, me]);
    await t.g.takeOver(me);
    expect([old.kicked, mid.kicked, me.kicked]).toEqual([true, true, false]);
    // Two newcomers admitted at the same moment: the tie goes by id, so exactly one survives.
    const x = conn('x', 70_000);
    const y = conn('y', 70_000);
    const u = setup([x, y]);
    await u.g.takeOver(x);
    await u.g.takeOver(y);
    expect([x.kicked, y.kicked]).toEqual([true, false]);
  });

  it('reports a contested identity at most once a minute per outcome, with running counts', async () => {
    const t = setup([conn('a', 99_000)]);
    for (let i = 0; i < 50; i++) await t.g.admit('gw-1', '10.0.0.9');
    await t.g.takeOver(conn('z', 200_000));
    expect(t.reports.map((r) => [r.outcome, r.replaced, r.refused])).toEqual([
      ['refused', 0, 1],
      ['replaced', 1, 50],
    ]);
    t.advance(60_000);
    await t.g.admit('gw-1', '10.0.0.9');
    expect(t.reports).toHaveLength(2);
    expect(t.lines.filter((l) => l.includes('gateway connected twice'))).toHaveLength(2);
  });
});
