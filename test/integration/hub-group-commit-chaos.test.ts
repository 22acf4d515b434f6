import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ackedSeqs, assertExactlyOnceInOrder, hubRecord } from '../helpers/hub-db.js';
import { freePort, HUB_CLI, hubCli, node, type Proc, ROOT, until } from '../helpers/processes.js';

/**
 * The hub's one writer commits many gateways' batches in one transaction
 * (dashboard/src/store/sql/group-commit.ts) and acknowledges none of them
 * before that commit. Several gateways stream at once (the real outbox and
 * uplink in producer processes) while the hub is SIGKILLed at random moments,
 * often with a group half-written: afterwards each gateway's events must be at
 * the hub exactly once, in sequence order, with nothing its outbox was told
 * was delivered missing.
 */
const PRODUCER = join(ROOT, 'test/support/producer.mjs');
const GATEWAYS = ['gw-341302001001', 'gw-341302001001-b', 'gw-341302001001-c', 'gw-341302001001-d'];
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('hub group commit under SIGKILL', () => {
  it('loses, duplicates and reorders nothing of four gateways when the hub is SIGKILLed mid-group 6 times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-group-chaos-'));
    const hubData = join(dir, 'hub');
    const hubPort = await freePort();
    const gws = GATEWAYS.map((id) => {
      const token = hubCli(hubData, ['gateway', 'add', '--id', id, '--area', '341302001001']);
      const data = join(dir, id);
      mkdirSync(data);
      writeFileSync(join(data, 'token'), token, { mode: 0o600 });
      return { id, data, ackLog: join(data, 'acked.log') };
    });
    const startHub = async () => {
      const hub = node(HUB_CLI, ['serve', '--data', hubData, '--port', String(hubPort)], {
        env: { LINLI_LOG_LEVEL: 'warn' },
      });
      // Four producers keep the machine busy while the hub loads: a bound that only stops a hang.
      await until(
        () => {
          if (hub.child.exitCode !== null) throw new Error(`hub exited early: ${hub.err()}`);
          return hub.out().includes('"ready":true') || null;
        },
        'the hub to be ready',
        120_000,
      );
      return hub;
    };
    let hub = await startHub();
    cleanup.push(() => hub.stop());
    const N = 25_000;
    const KILLS = 6;
    const producers: Proc[] = gws.map((g) =>
      node(PRODUCER, [
        '--hub',
        `http://127.0.0.1:${hubPort}`,
        '--gateway',
        g.id,
        '--token-file',
        join(g.data, 'token'),
        '--data',
        g.data,
        '--ack-log',
        g.ackLog,
        '--count',
        String(N),
        '--wave',
        '250',
        '--pause-ms',
        '200',
        '--alarm-every',
        '401',
      ]),
    );
    for (const p of producers) cleanup.push(() => p.stop());
    // Paced to stream for 20 s or more: each kill lands while the gateways still have events to deliver.
    let kills = 0;
    while (kills < KILLS && gws.some((g) => hubRecord(hubData, g.id).watermark < N)) {
      await new Promise((r) => setTimeout(r, 200 + Math.floor(Math.random() * 600)));
      hub.child.kill('SIGKILL');
      await hub.exited;
      kills++;
      hub = await startHub();
    }
    expect(kills, 'the gateways delivered everything before the hub was killed often enough').toBe(KILLS);
    for (const p of producers)
      await until(() => p.out().includes('"drained"') || null, 'every producer to drain', 180_000);
    for (const g of gws) {
      const rec = hubRecord(hubData, g.id);
      expect({ gateway: g.id, problems: assertExactlyOnceInOrder(rec, N) }).toEqual({ gateway: g.id, problems: [] });
      const atHub = new Set(rec.rows.map((r) => r.seq));
      expect(ackedSeqs(g.ackLog).filter((q) => !atHub.has(q))).toEqual([]);
    }
  });
});
