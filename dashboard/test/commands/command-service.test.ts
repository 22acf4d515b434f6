import type { Command, CommandReply, Viewer } from '@linli/contract';
import { expect, it } from 'vitest';
import type { AuditEntry } from '../../src/auth/audit-sink.js';
import { CommandService } from '../../src/commands/command-service.js';
import { SENT_LEASE_MS } from '../../src/commands/command-store.js';
import { createLogger } from '../../src/log.js';
import type { SqlDb } from '../../src/store/sql/sql-db.js';
import { SqlHubStore } from '../../src/store/sql-hub-store.js';
import { describeEachDialect } from '../support/dialects.js';
import { secondConnection } from '../alerts/fixtures.js';

const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
const leader: Viewer = { userId: 'leader-a', role: 'street_leader', areaCode: '341302001' };
const installer: Viewer = { userId: 'inst-1', role: 'installer', areaCode: '341302001' };
const otherStreet: Viewer = { userId: 'leader-b', role: 'street_leader', areaCode: '341302002' };
const log = createLogger('test', 'silent');

/** One hub node's command service over `db`, with what it audited and reported. */
function node(db: SqlDb) {
  const audit: AuditEntry[] = [];
  const changed: string[] = [];
  const svc = new CommandService(db, new SqlHubStore(db), { record: (e) => audit.push(e) }, log, (r) =>
    changed.push(`${r.command.id}:${r.state}`),
  );
  return { svc, audit, changed };
}

const open = (ttlSeconds?: number) => ({
  gatewayId: 'gw-a',
  deviceId: 'gate-1',
  name: 'gate.open' as const,
  args: { seconds: 5 },
  ...(ttlSeconds ? { ttlSeconds } : {}),
});
const ok = (): CommandReply => ({ ok: true, result: { opened: true } });

describeEachDialect('hub → gateway commands', (ctx) => {
  const setup = async () => {
    await new SqlHubStore(ctx.db).upsertGateway('gw-a', 'hash', '341302001001');
    return node(ctx.db);
  };

  it('queues a command while the gateway is offline and delivers it when it connects', async () => {
    const { svc, audit, changed } = await setup();
    const rec = await svc.issue(leader, open(), T0);
    expect(rec).toMatchObject({ gatewayId: 'gw-a', state: 'queued', result: null, error: null, updatedAt: T0 });
    expect(rec.command).toMatchObject({
      name: 'gate.open',
      deviceId: 'gate-1',
      issuedBy: 'leader-a',
      expiresAt: T0 + 120_000,
    });
    expect(audit.at(-1)).toMatchObject({ action: 'command:gate.open', outcome: 'ok', targetId: 'gw-a' });

    // Offline: the link has no connection; the command waits in the queue.
    const sent: Command[] = [];
    svc.attach(async (_gw, cmd) => (sent.push(cmd), null));
    await svc.deliver('gw-a', T0 + 1000);
    expect(sent.map((c) => c.id)).toEqual([rec.command.id]);
    expect((await svc.get(leader, rec.command.id)).state).toBe('queued');

    // Back online: delivered, answered, audited, reported.
    svc.attach(async (_gw, cmd) => (sent.push(cmd), ok()));
    await svc.deliver('gw-a', T0 + 2000);
    expect(sent).toHaveLength(2);
    const done = await svc.get(leader, rec.command.id);
    expect(done).toMatchObject({ state: 'done', result: { opened: true } });
    expect(audit.at(-1)).toMatchObject({ action: 'command:gate.open:answer', outcome: 'ok', detail: rec.command.id });
    expect(changed).toEqual([`${rec.command.id}:done`]);
    // Nothing is pending any more: a reconnect sends nothing.
    await svc.deliver('gw-a', T0 + 3000);
    expect(sent).toHaveLength(2);
  });

  it('records a failed answer with its error, and ignores a second answer', async () => {
    const { svc } = await setup();
    svc.attach(async () => ({
      ok: false,
      error: { code: 'OFFLINE', message: 'gate controller not answering' },
    }));
    const rec = await svc.issue(leader, open(), T0);
    await svc.deliver('gw-a', T0);
    const failed = await svc.get(leader, rec.command.id);
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'OFFLINE' } });
    expect(await svc.store.transition(rec.command.id, 'done', T0 + 1, { result: {} })).toBe(false);
    expect((await svc.get(leader, rec.command.id)).state).toBe('failed');
  });

  it('refuses roles without the permission and gateways outside the area, auditing both', async () => {
    const { svc, audit } = await setup();
    await expect(svc.issue(installer, open(), T0)).rejects.toMatchObject({ status: 403 });
    await expect(svc.issue(otherStreet, open(), T0)).rejects.toMatchObject({ status: 404 });
    await expect(svc.issue(leader, { ...open(), gatewayId: 'gw-none' }, T0)).rejects.toMatchObject({ status: 404 });
    await expect(svc.issue(leader, { ...open(), deviceId: undefined }, T0)).rejects.toMatchObject({
      code: 'DEVICE_REQUIRED',
    });
    expect(audit.map((a) => `${a.userId}:${a.outcome}:${a.detail}`)).toEqual([
      'inst-1:denied:role',
      'leader-b:denied:out of area or unknown gateway',
      'leader-a:denied:out of area or unknown gateway',
    ]);
    expect(await svc.store.recent(null, 10)).toEqual([]);
    const rec = await svc.issue(leader, open(), T0);
    await expect(svc.get(otherStreet, rec.command.id)).rejects.toMatchObject({ status: 404 });
  });

  it('expires overdue commands once, audits the expiry, and a late answer changes nothing', async () => {
    const { svc, audit, changed } = await setup();
    const rec = await svc.issue(leader, open(10), T0);
    expect(await svc.tick(T0 + 9_999)).toBe(0);
    expect(await svc.tick(T0 + 10_000)).toBe(1);
    expect(await svc.tick(T0 + 20_000)).toBe(0);
    expect((await svc.get(leader, rec.command.id)).state).toBe('expired');
    expect(audit.at(-1)).toMatchObject({ action: 'command:gate.open:expired', outcome: 'error' });
    expect(changed).toEqual([`${rec.command.id}:expired`]);
    // An expired command is never sent.
    const sent: Command[] = [];
    svc.attach(async (_gw, cmd) => (sent.push(cmd), ok()));
    await svc.deliver('gw-a', T0 + 20_000);
    expect(sent).toEqual([]);
    expect(await svc.store.transition(rec.command.id, 'done', T0 + 20_001)).toBe(false);
  });

  it('claims a command for one sender only; a sender that vanished is taken over after the lease', async () => {
    const { svc } = await setup();
    const rec = await svc.issue(leader, open(600), T0);
    expect(await svc.store.claim(rec.command.id, T0 + 1)).toBe(true);
    expect(await svc.store.claim(rec.command.id, T0 + 2)).toBe(false);
    // The node that claimed it died without an answer or a release: after the lease another may send it.
    expect(await svc.store.claim(rec.command.id, T0 + 1 + SENT_LEASE_MS - 1)).toBe(false);
    expect(await svc.store.claim(rec.command.id, T0 + 1 + SENT_LEASE_MS)).toBe(true);
    expect(await svc.store.release(rec.command.id, T0 + SENT_LEASE_MS + 2)).toBe(true);
    expect((await svc.store.get(rec.command.id))!.state).toBe('queued');
  });

  it('two hub nodes delivering to one gateway at once send each command once', async () => {
    await setup();
    const other = secondConnection(ctx.db);
    try {
      const a = node(ctx.db);
      const b = node(other);
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push((await a.svc.issue(leader, open(), T0 + i)).command.id);
      const sent: string[] = [];
      // A gateway that takes a moment to answer, so both nodes' deliveries overlap.
      const link = async (_gw: string, cmd: Command) => {
        sent.push(cmd.id);
        await new Promise((r) => setTimeout(r, 5));
        return ok();
      };
      a.svc.attach(link);
      b.svc.attach(link);
      await Promise.all([a.svc.deliver('gw-a', T0 + 100), b.svc.deliver('gw-a', T0 + 100)]);
      expect(sent.sort()).toEqual([...ids].sort());
      for (const id of ids) expect((await a.svc.store.get(id))!.state).toBe('done');
      expect([...a.changed, ...b.changed]).toHaveLength(10);
    } finally {
      await other.close();
    }
  });

  it('two hub nodes expiring at once expire (and audit) each command once', async () => {
    await setup();
    const other = secondConnection(ctx.db);
    try {
      const a = node(ctx.db);
      const b = node(other);
      for (let i = 0; i < 25; i++) await a.svc.issue(leader, open(10), T0 + i);
      a.audit.length = 0;
      const [na, nb] = await Promise.all([a.svc.tick(T0 + 60_000), b.svc.tick(T0 + 60_000)]);
      expect(na + nb).toBe(25);
      const expiries = [...a.audit, ...b.audit].filter((e) => e.action.endsWith(':expired'));
      expect(new Set(expiries.map((e) => e.detail)).size).toBe(25);
      expect(expiries).toHaveLength(25);
    } finally {
      await other.close();
    }
  });
});
