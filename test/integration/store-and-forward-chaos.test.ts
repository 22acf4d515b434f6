import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChaosProxy } from '../helpers/chaos-proxy.js';
import { ackedSeqs, assertExactlyOnceInOrder, hubRecord } from '../helpers/hub-db.js';
import { freePort, HUB_CLI, hubCli, node, type Proc, ready, ROOT, until } from '../helpers/processes.js';

/**
 * The gateway's promise under abuse, with real processes: a hub process, a
 * producer process running the real outbox and uplink, and the network or the
 * processes failing at random moments. At the end the hub must hold every
 * event exactly once, in sequence order, and every event the outbox ever
 * acknowledged to its producer.
 */
const PRODUCER = join(ROOT, 'test/support/producer.mjs');
const GW = 'gw-341302001001';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function rnd(lo: number, hi: number): number {
  return lo + Math.floor(Math.random() * (hi - lo));
}

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'linli-saf-'));
  const hubData = join(dir, 'hub');
  const token = hubCli(hubData, ['gateway', 'add', '--id', GW, '--area', '341302001001']);
  mkdirSync(join(dir, 'gw'));
  const tokenFile = join(dir, 'gw', 'token');
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const hubPort = await freePort();
  const startHub = async () => {
    const hub = node(HUB_CLI, ['serve', '--data', hubData, '--port', String(hubPort)], {
      env: { LINLI_LOG_LEVEL: 'warn' },
    });
    await ready(hub, 'hub');
    return hub;
  };
  const producer = (hubUrl: string, args: string[]): Proc =>
    node(PRODUCER, [
      '--hub',
      hubUrl,
      '--gateway',
      GW,
      '--token-file',
      tokenFile,
      '--data',
      join(dir, 'gw'),
      '--ack-log',
      join(dir, 'acked.log'),
      ...args,
    ]);
  return { dir, hubData, hubPort, startHub, producer, ackLog: join(dir, 'acked.log') };
}

describe('store-and-forward under failure', () => {
  it('delivers 200,000 events exactly once in order while the connection is cut at random 100+ times', async () => {
    const s = await setup();
    const hub = await s.startHub();
    cleanup.push(() => hub.stop());
    const proxy = new ChaosProxy(s.hubPort);
    await proxy.start();
    cleanup.push(() => proxy.stop());
    const N = 200_000;
    // Paced so the stream lasts long enough to be cut mid-flight many times (~15 s of production).
    const p = s.producer(`http://127.0.0.1:${proxy.port}`, [
      '--count',
      String(N),
      '--wave',
      '1000',
      '--pause-ms',
      '70',
      '--alarm-every',
      '997',
    ]);
    cleanup.push(() => p.stop());
    while (!p.out().includes('"drained"') || proxy.cuts < 100) {
      await new Promise((r) => setTimeout(r, rnd(40, 160)));
      if (proxy.cuts < 150) proxy.cut();
      if (p.child.exitCode !== null) throw new Error(`producer died: ${p.err()}`);
    }
    expect(proxy.cuts).toBeGreaterThanOrEqual(100);
    await until(() => hubRecord(s.hubData, GW).watermark === N || null, 'the hub to have everything', 60_000);
    const rec = hubRecord(s.hubData, GW);
    expect(assertExactlyOnceInOrder(rec, N)).toEqual([]);
    expect(ackedSeqs(s.ackLog)).toHaveLength(N);
  });

  it('loses nothing acknowledged and duplicates nothing when the gateway is SIGKILLed 20+ times while writing and replaying', async () => {
    const s = await setup();
    const hub = await s.startHub();
    cleanup.push(() => hub.stop());
    const proxy = new ChaosProxy(s.hubPort);
    await proxy.start();
    cleanup.push(() => proxy.stop());
    const N = 60_000;
    let kills = 0;
    for (let round = 0; round < 24; round++) {
      // Alternate: the hub unreachable (pure buffering) and reachable (replaying a backlog while writing).
      proxy.setUp(round % 2 === 1);
      const p = s.producer(`http://127.0.0.1:${proxy.port}`, [
        '--count',
        String(N),
        '--wave',
        '300',
        '--pause-ms',
        '20',
        '--alarm-every',
        '101',
      ]);
      await new Promise((r) => setTimeout(r, rnd(400, 1400)));
      if (p.child.exitCode === null) {
        p.child.kill('SIGKILL');
        kills++;
      }
      await p.exited;
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    proxy.setUp(true);
    const last = s.producer(`http://127.0.0.1:${proxy.port}`, [
      '--count',
      String(N),
      '--wave',
      '1000',
      '--exit-when-drained',
    ]);
    cleanup.push(() => last.stop());
    await until(() => last.out().includes('"drained"') || null, 'the final replay', 120_000);
    const rec = hubRecord(s.hubData, GW);
    expect(assertExactlyOnceInOrder(rec, N)).toEqual([]);
    const atHub = new Set(rec.rows.map((r) => r.seq));
    const acked = ackedSeqs(s.ackLog);
    expect(acked.length).toBeGreaterThan(0);
    expect(acked.filter((q) => !atHub.has(q))).toEqual([]);
  });

  it('loses and duplicates nothing when the hub is SIGKILLed mid-commit and restarted', async () => {
    const s = await setup();
    let hub = await s.startHub();
    cleanup.push(() => hub.stop());
    const N = 80_000;
    const p = s.producer(`http://127.0.0.1:${s.hubPort}`, [
      '--count',
      String(N),
      '--wave',
      '500',
      '--pause-ms',
      '15',
      '--alarm-every',
      '333',
    ]);
    cleanup.push(() => p.stop());
    for (let k = 0; k < 10; k++) {
      await new Promise((r) => setTimeout(r, rnd(300, 900)));
      hub.child.kill('SIGKILL');
      await hub.exited;
      hub = await s.startHub();
    }
    await until(() => p.out().includes('"drained"') || null, 'the producer to drain', 120_000);
    const rec = hubRecord(s.hubData, GW);
    expect(assertExactlyOnceInOrder(rec, N)).toEqual([]);
    const atHub = new Set(rec.rows.map((r) => r.seq));
    expect(ackedSeqs(s.ackLog).filter((q) => !atHub.has(q))).toEqual([]);
  });
});
