// Slow tier (npm test only, not npm run test:fast): needs PostgreSQL, and spawns two processes racing one escalation. See CONTRIBUTING.md, "Test tiers".
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlertService } from '../../src/alerts/index.js';
import { describeEachDialect, freshDb, TEST_PG_URL } from '../support/dialects.js';
import type { SqlDb } from '../../src/store/sql/sql-db.js';
import { CITY, fakeClock, MIN, secondConnection, smoke, T0 } from './fixtures.js';

const RACER = fileURLToPath(new URL('./tick-racer.mjs', import.meta.url));
const config = {
  maxLevel: 3,
  sla: { default: { dispatchMs: 10 * MIN, acknowledgeMs: 10 * MIN, resolveMs: 10 * MIN }, rules: [] },
};
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill();
});

/** What a racer process opens: the test database's SQLite file, or its PostgreSQL schema. */
function target(db: SqlDb): string {
  return db.dialect === 'sqlite' ? db.describe.slice('sqlite:'.length) : `${TEST_PG_URL}#${db.describe.split('#')[1]}`;
}

/** Starts one racer process and resolves once it has loaded the service and opened the database. */
function racer(db: string, times: number[]) {
  const child = spawn(process.execPath, [RACER, db, JSON.stringify(times), JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => out.startsWith('ready\n') && resolve();
    child.stdout!.on('data', check);
    exited.then((code) => reject(new Error(`racer exited (${code}) before ready: ${err}`)));
  });
  const result = async () => {
    const code = await exited;
    if (code !== 0) throw new Error(`racer failed (${code}): ${err}`);
    return JSON.parse(out.split('\n')[1]!) as { won: string[]; ticks: number; lost: number };
  };
  return { child, ready, result };
}

describeEachDialect('escalation across two hub processes on one database', (ctx) => {
  it('escalates every alert exactly once per level, whichever process wins', async () => {
    const svc = new AlertService(ctx.db, { now: () => T0, config });
    const alerts = await svc.ingest(Array.from({ length: 1500 }, (_, i) => smoke({ deviceId: `smoke-${i}` })));
    // Three deadlines: each level's escalation is up for grabs by both processes.
    const times = [T0 + 10 * MIN, T0 + 30 * MIN, T0 + 50 * MIN];
    const a = racer(target(ctx.db), times);
    const b = racer(target(ctx.db), times);
    await Promise.all([a.ready, b.ready]);
    a.child.stdin!.end('go\n');
    b.child.stdin!.end('go\n');
    const [ra, rb] = await Promise.all([a.result(), b.result()]);

    const all = [...ra.won, ...rb.won];
    expect(new Set(all).size).toBe(all.length); // nobody escalated the same alert to the same level twice
    expect(all.sort()).toEqual(alerts.flatMap((x) => [1, 2, 3].map((l) => `${x.id}:${l}`)).sort());
    const check = new AlertService(ctx.db, { config });
    for (const x of alerts) {
      const esc = (await check.history(x.id, CITY))!.filter((h) => h.action === 'escalate');
      expect(esc.map((h) => h.level)).toEqual([1, 2, 3]);
    }
    // Report how contested the race was (both won some when the processes overlapped).
    console.log(
      `[${ctx.dialect}] racer A won ${ra.won.length} (lost ${ra.lost}) in ${ra.ticks} ticks; racer B won ${rb.won.length} (lost ${rb.lost}) in ${rb.ticks} ticks`,
    );
  }, 120_000);
});

// Two hub nodes in one process need two real connections that can wait on each other: PostgreSQL pools.
// (Two SQLite connections in one process would block its event loop on the file lock; the racers above cover SQLite.)
describe('two hub nodes on one PostgreSQL, at the same moment', () => {
  const ctx = {} as { db: SqlDb };
  let dispose: () => Promise<void> = async () => {};
  beforeEach(async () => {
    ({ db: ctx.db, dispose } = await freshDb('postgres'));
  });
  afterEach(() => dispose());

  it('escalates each due alert exactly once when both tick concurrently', async () => {
    const clock = fakeClock();
    const other = secondConnection(ctx.db);
    try {
      const hub1 = new AlertService(ctx.db, { now: clock.now, config });
      const hub2 = new AlertService(other, { now: clock.now, config });
      const alerts = await hub1.ingest(Array.from({ length: 300 }, (_, i) => smoke({ deviceId: `smoke-${i}` })));
      for (const level of [1, 2, 3]) {
        clock.advance(level === 1 ? 10 * MIN : 10 * MIN + 1);
        const [a, b] = await Promise.all([hub1.tick(), hub2.tick()]);
        const ids = [...a, ...b].map((x) => x.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.sort()).toEqual(alerts.map((x) => x.id).sort());
        expect([...a, ...b].every((x) => x.level === level)).toBe(true);
      }
      for (const x of alerts) {
        const esc = (await hub2.history(x.id, CITY))!.filter((h) => h.action === 'escalate');
        expect(esc.map((h) => h.level)).toEqual([1, 2, 3]);
      }
    } finally {
      await other.close();
    }
  });

  it('folds alarms of one source that two nodes ingest at once into one alert', async () => {
    const other = secondConnection(ctx.db);
    try {
      const hub1 = new AlertService(ctx.db, { now: () => T0, config });
      const hub2 = new AlertService(other, { now: () => T0, config });
      // Forty alarms of one smoke detector, split between the nodes, all at once.
      const events = Array.from({ length: 40 }, (_, i) => smoke({ receivedAt: T0 + i * 1000 }));
      const ingests = events.map((e, i) => (i % 2 ? hub2 : hub1).ingest([e]));
      await Promise.all(ingests);
      const open = await hub1.list(CITY);
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ count: 40, firstEventAt: T0, lastEventAt: T0 + 39_000 });
      expect(await hub1.eventIds(open[0]!.id, CITY)).toHaveLength(40);
      expect(await hub1.history(open[0]!.id, CITY)).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it('lets a person act on an alert while another node folds alarms into it', async () => {
    const other = secondConnection(ctx.db);
    try {
      const hub1 = new AlertService(ctx.db, { now: () => T0, config });
      const hub2 = new AlertService(other, { now: () => T0, config });
      const [a] = await hub1.ingest([smoke()]);
      const folds = Array.from({ length: 20 }, (_, i) => hub2.ingest([smoke({ receivedAt: T0 + (i + 1) * 1000 })]));
      const acts = [
        hub1.dispatch(a!.id, CITY, { actor: 'op', assignee: { type: 'user', id: 'worker-1' } }),
        hub1.acknowledge(a!.id, CITY, { actor: 'worker-1' }).catch((e: unknown) => e),
      ];
      const [dispatched] = await Promise.all([acts[0], ...folds]);
      expect(dispatched).toMatchObject({ state: 'dispatched' });
      await acts[1];
      const now = (await hub1.get(a!.id, CITY))!;
      expect(now.count).toBe(21);
      const h = (await hub1.history(a!.id, CITY))!;
      expect(h.map((x) => x.seq)).toEqual(h.map((_, i) => i + 1));
      expect(h.at(-1)!.to).toBe(now.state);
    } finally {
      await other.close();
    }
  });
});
