import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { LinliEvent } from '@linli/contract';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, HUB_CLI, node, type Proc, ready, ROOT, until, untilAsync } from '../../helpers/processes.js';
import { TcpBalancer } from '../../helpers/tcp-balancer.js';

/**
 * Two real hub processes sharing the machine's PostgreSQL and Redis, behind a
 * TCP balancer. A gateway delivers through the balancer to node A; a wall on
 * node B sees its events (through Redis); node A is killed mid-stream; the
 * gateway and a second wall move to node B; nothing is lost, nothing is
 * stored twice, no alert is escalated twice.
 */
const PG_URL = process.env.LINLI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.LINLI_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const GW = 'gw-341302001001';
const COUNT = 3000;
const dbName = `linli_mn_${randomBytes(4).toString('hex')}`;
const dbUrl = PG_URL.replace(/\/[^/]*$/, `/${dbName}`);
const dir = mkdtempSync(join(tmpdir(), 'linli-cluster-'));
const sockets: Socket[] = [];
let nodeA: Proc;
let nodeB: Proc;
let portA: number;
let portB: number;
let balancer: TcpBalancer;
let producer: Proc;
let wallToken: string;

function cli(dataDir: string, args: string[]): string {
  const r = spawnSync(process.execPath, [HUB_CLI, ...args, '--data', dataDir, '--database', dbUrl], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`linli-hub ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

async function startNode(name: string, dataDir: string, port: number): Promise<Proc> {
  const p = node(
    HUB_CLI,
    [
      'serve',
      '--data',
      dataDir,
      '--database',
      dbUrl,
      '--redis',
      REDIS_URL,
      '--node-id',
      name,
      '--port',
      String(port),
    ].concat(['--alerts', join(dir, 'sla.json')]),
    { env: { LINLI_LOG_LEVEL: 'info' } },
  );
  await ready(p, `hub node ${name}`);
  return p;
}

function wall(port: number, reconnect: boolean): { socket: Socket; events: LinliEvent[] } {
  const events: LinliEvent[] = [];
  const socket = io(`http://127.0.0.1:${port}/cockpit`, {
    auth: { key: wallToken },
    transports: ['websocket'],
    reconnection: reconnect,
    reconnectionDelay: 200,
    reconnectionDelayMax: 1000,
    forceNew: true,
  });
  socket.on('events', (batch: LinliEvent[]) => events.push(...batch.filter((e) => e.gatewayId === GW)));
  sockets.push(socket);
  return { socket, events };
}

async function query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows as T[];
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  // Short SLA: every SOS call escalates 1.5 s after it is raised, while both nodes tick.
  writeFileSync(
    join(dir, 'sla.json'),
    JSON.stringify({ sla: { default: { dispatchMs: 1500, acknowledgeMs: 1500, resolveMs: 600_000 }, rules: [] } }),
  );
  const dataA = join(dir, 'a');
  const dataB = join(dir, 'b');
  [portA, portB] = [await freePort(), await freePort()];
  nodeA = await startNode('A', dataA, portA);
  // Every node shares the one key file (it seals personal fields and keys the audit chain).
  mkdirSync(dataB, { recursive: true });
  copyFileSync(join(dataA, 'privacy.key'), join(dataB, 'privacy.key'));
  nodeB = await startNode('B', dataB, portB);
  const gwDir = join(dir, 'gw');
  mkdirSync(gwDir);
  writeFileSync(join(gwDir, 'token'), cli(dataA, ['gateway', 'add', '--id', GW, '--area', '341302001001']));
  cli(dataA, ['user', 'add', '--username', 'wall', '--role', 'city_operator', '--area', '341300']);
  wallToken = cli(dataB, ['display-token', '--username', 'wall']);
  balancer = new TcpBalancer([portA, portB]);
  const lb = await balancer.start();
  producer = node(join(ROOT, 'test/support/producer.mjs'), [
    '--hub',
    `http://127.0.0.1:${lb}`,
    '--gateway',
    GW,
    '--token-file',
    join(gwDir, 'token'),
    '--data',
    gwDir,
    '--count',
    String(COUNT),
    '--wave',
    '50',
    '--pause-ms',
    '40',
    '--alarm-every',
    '300',
    '--reconnect-ms',
    '200',
  ]);
}, 120_000);

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await producer?.stop();
  await balancer?.stop();
  await nodeA?.stop();
  await nodeB?.stop();
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

describe('several hub nodes (PostgreSQL + Redis)', () => {
  it('shows a gateway on node A to a wall on node B, and survives node A dying', async () => {
    const onB = wall(portB, false);
    await until(() => onB.socket.connected || null, 'the wall on node B');
    const moving = wall(balancer.port, true);
    await until(() => moving.socket.connected || null, 'the wall behind the balancer (node A)');

    // Events stored by node A reach the wall on node B through Redis.
    await until(() => onB.events.length >= 600 || null, 'node A’s events on node B’s wall', 60_000);
    const seenBeforeKill = Math.max(...onB.events.map((e) => e.seq));
    const movingBefore = moving.events.length;
    nodeA.child.kill('SIGKILL');
    await nodeA.exited;

    // The gateway reconnects through the balancer to node B and delivers the rest.
    await until(() => producer.out().includes('"drained":true') || null, 'the gateway to drain its buffer', 120_000);
    expect(balancer.routed.get(portB) ?? 0).toBeGreaterThan(0);

    // Stored exactly once, in order, with the watermark at the end.
    const rows = await query<{ seq: string }>('SELECT seq FROM events WHERE gateway_id = $1 ORDER BY seq', [GW]);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    const [gw] = await query<{ last_seq: string; node_id: string }>(
      'SELECT last_seq, node_id FROM gateways WHERE id = $1',
      [GW],
    );
    expect(Number(gw!.last_seq)).toBe(COUNT);
    expect(gw!.node_id).toBe('B');

    // The wall on node B: nothing twice; everything before the kill; everything node B stored after it.
    await until(() => onB.events.some((e) => e.seq === COUNT) || null, 'the last event on node B’s wall', 30_000);
    const seqs = onB.events.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    const missing = Array.from({ length: COUNT }, (_, i) => i + 1).filter((s) => !seqs.includes(s));
    // Only events node A committed but had not yet broadcast when it died may be missing from the live stream
    // (a wall reloads them from the database on refresh); they sit right after what the wall had seen.
    expect(missing.every((s) => s > seenBeforeKill && s <= seenBeforeKill + 500)).toBe(true);

    // The wall behind the balancer moved to node B and keeps receiving.
    await until(() => moving.events.length > movingBefore + 100 || null, 'the moved wall to receive again', 30_000);
    const movedSeqs = moving.events.map((e) => e.seq);
    expect(new Set(movedSeqs).size).toBe(movedSeqs.length);
  });

  it('raised each SOS call once and escalated each alert once, though two nodes tick', async () => {
    // Every SOS call was taken into an alert once (raised or folded), not once per node or per resend;
    // one node A stored but did not live to raise is picked up by the surviving leader a few seconds later.
    const linked = await untilAsync(
      async () => {
        const rows = await query<{ event_id: string; n: string }>(
          'SELECT event_id, count(*) AS n FROM alert_events GROUP BY event_id',
        );
        return rows.length >= COUNT / 300 ? rows : null;
      },
      'every SOS call linked to an alert',
      30_000,
    );
    expect(linked).toHaveLength(COUNT / 300);
    expect(linked.every((l) => Number(l.n) === 1)).toBe(true);
    // Escalation is due 1.5 s after each alert; give the last ones time.
    await new Promise((r) => setTimeout(r, 4000));
    const alerts = await query<{ id: string; level: string }>('SELECT id, level FROM alert_alerts');
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a) => Number(a.level) >= 1)).toBe(true);
    // Each level of each alert was reached exactly once: no escalation ran on both nodes.
    const escalations = await query<{ alert_id: string; level: string; n: string }>(
      `SELECT alert_id, level, count(*) AS n FROM alert_history WHERE action = 'escalate' GROUP BY alert_id, level`,
    );
    expect(escalations.length).toBeGreaterThanOrEqual(alerts.length);
    expect(escalations.filter((e) => Number(e.n) !== 1)).toEqual([]);
    // Both nodes' gateway view agrees (it lives in the database): the gateway is connected, via node B.
    const views = await untilAsync(async () => {
      const res = await fetch(`http://127.0.0.1:${portB}/api/gateways`, {
        headers: { authorization: `Bearer ${wallToken}` },
      });
      const body = (await res.json()) as { gateways: { id: string; connected: boolean }[] };
      return body.gateways.find((g) => g.id === GW && g.connected) ?? null;
    }, 'node B to report the gateway connected');
    expect(views.connected).toBe(true);
  });
});
