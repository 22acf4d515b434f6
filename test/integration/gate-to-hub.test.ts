import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GateSimulator } from '@linli/drivers';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubRecord } from '../helpers/hub-db.js';
import {
  GATEWAY_CLI,
  HUB_CLI,
  freePort,
  hubCli,
  node,
  type Proc,
  ready,
  until,
  untilAsync,
} from '../helpers/processes.js';

/**
 * A simulated ISAPI access terminal (a real HTTP server with Digest auth, in
 * this process so the test can force a door), a real gateway process that
 * declares it in YAML with a password file, and a real hub process: a forced
 * door becomes a critical alarm at the hub, and no resident's name, card
 * number or employee number reaches the gateway's log, its buffer or the hub.
 */
const GW = 'gw-341302001002';
let dir: string;
let hub: Proc;
let gateway: Proc;
let sim: GateSimulator;
let hubUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linli-gate-'));
  const hubPort = await freePort();
  const hubData = join(dir, 'hub');
  const token = hubCli(hubData, ['gateway', 'add', '--id', GW, '--area', '341302001002']);
  // Short SLA timers so the test sees an escalation: 1.5 s to dispatch, 1.5 s to acknowledge.
  const sla = join(dir, 'sla.json');
  writeFileSync(
    sla,
    JSON.stringify({
      foldWindowMs: 60_000,
      sla: { default: { dispatchMs: 1500, acknowledgeMs: 1500, resolveMs: 600_000 }, rules: [] },
    }),
  );
  hub = node(HUB_CLI, ['serve', '--data', hubData, '--port', String(hubPort), '--alerts', sla]);
  hubUrl = `http://127.0.0.1:${(await ready(hub, 'hub')).port}`;
  sim = new GateSimulator({ username: 'admin', password: 'Gate-pw-5521', doors: 2, heartbeatMs: 500, seed: 5 });
  await sim.start();
  const gwDir = join(dir, 'gw');
  mkdirSync(gwDir);
  writeFileSync(join(gwDir, 'gateway.token'), token, { mode: 0o600 });
  writeFileSync(join(gwDir, 'gate.pw'), 'Gate-pw-5521\n', { mode: 0o600 });
  writeFileSync(
    join(gwDir, 'gateway.yaml'),
    `version: 1
gateway:
  id: ${GW}
  community: "341302001002"
dataDir: ./state
hub:
  url: http://127.0.0.1:${hubPort}
  tokenFile: ./gateway.token
devices:
  - id: gate-east
    type: isapi-door-terminal
    transport:
      kind: isapi
      host: 127.0.0.1
      port: ${sim.port}
      username: admin
      passwordFile: ./gate.pw
      doors: ["东门", "东门侧门"]
      heartbeatTimeoutMs: 5000
    location: { lng: 117.02, lat: 33.65, gridId: "341302001002001" }
`,
  );
  gateway = node(GATEWAY_CLI, ['run', '--config', join(gwDir, 'gateway.yaml')]);
});

afterAll(async () => {
  await gateway?.stop();
  await sim?.stop();
  await hub?.stop();
});

describe('gate → gateway → hub', () => {
  it('delivers a forced door as a critical gate.forced alarm, and resident data stays at the gate', async () => {
    await until(() => sim.streamCount() > 0, 'the gateway to open the alert stream', 30_000);
    for (let i = 0; i < 5; i++) sim.pass({ method: i % 2 ? 'face' : 'card', direction: i % 2 ? 'out' : 'in' });
    sim.refused(2);
    sim.forced(2);
    const rows = await until(
      () => {
        const r = hubRecord(join(dir, 'hub'), GW).rows;
        return r.some((x) => x.kind === 'gate.forced') && r.filter((x) => x.kind === 'gate.pass').length === 5 && r;
      },
      'the forced door at the hub',
      30_000,
    );
    expect(rows.find((r) => r.kind === 'gate.forced')).toMatchObject({ severity: 'critical' });
    expect(rows.filter((r) => r.kind === 'gate.refused')).toHaveLength(2);
    const db = new Database(join(dir, 'hub', 'hub.sqlite'), { readonly: true });
    const bodies = (db.prepare('SELECT body FROM events WHERE gateway_id = ?').all(GW) as { body: string }[]).map(
      (b) => b.body,
    );
    db.close();
    const forced = JSON.parse(bodies.find((b) => b.includes('gate.forced'))!);
    expect(forced).toMatchObject({
      deviceId: 'gate-east',
      payload: { door: '东门侧门' },
      location: { gridId: '341302001002001' },
    });

    // Privacy: the gateway's log, its SQLite buffer files and the hub's rows hold none of the simulator's personal data.
    const personal = [
      ...sim.log.flatMap((r) => [r.name, r.cardNo, r.employeeNoString].filter((x): x is string => !!x)),
      'Gate-pw-5521',
    ];
    expect(personal.length).toBeGreaterThan(10);
    const gwState = join(dir, 'gw', 'state');
    const buffer = ['buffer.sqlite', 'buffer.sqlite-wal']
      .map((f) => {
        try {
          return readFileSync(join(gwState, f)).toString('utf8');
        } catch {
          return '';
        }
      })
      .join('');
    expect(gateway.out()).toContain('gate-east'); // the log being searched is the gate's own
    const haystack = [gateway.out(), gateway.err(), buffer, bodies.join('\n'), hub.out()].join('\n');
    for (const s of personal) expect(haystack, `"${s}" leaked`).not.toContain(s);
    // The masked form does travel: the last four digits of a card, never the whole number.
    const card = sim.log.find((r) => r.cardNo && r.minor === 0x01)!.cardNo!;
    expect(bodies.join('\n')).toContain(`****${card.slice(-4)}`);
  });

  it('turns the forced door into an alert: folded repeats, escalation on timeout, dispatch, acknowledge, resolve, full history', async () => {
    const made = JSON.parse(
      hubCli(join(dir, 'hub'), [
        'user',
        'add',
        '--username',
        'leader.dh',
        '--role',
        'street_leader',
        '--area',
        '341302001',
      ]),
    ) as { password: string };
    const login = await post('/api/login', { username: 'leader.dh', password: made.password });
    const token = login.token as string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON replies checked field by field
    const get = async (path: string): Promise<any> =>
      (await fetch(hubUrl + path, { headers: { authorization: `Bearer ${token}` } })).json();
    const act = (path: string, body: object) => post(path, body, token);

    const forced = await untilAsync(
      async () => (await get('/api/alerts?kinds=gate.forced')).alerts?.[0],
      'an alert for the forced door',
      30_000,
    );
    expect(forced).toMatchObject({ state: 'raised', kind: 'gate.forced', deviceId: 'gate-east', count: 1 });
    // The same door forced again within the fold window joins the open alert.
    sim.forced(2);
    const folded = await untilAsync(
      async () => {
        const a = (await get(`/api/alerts/${forced.id}`)).alert;
        return a.count === 2 && a;
      },
      'the repeat folded into the alert',
      30_000,
    );
    expect((await get('/api/alerts?kinds=gate.forced')).alerts).toHaveLength(1);
    // Nobody dispatched it within 1.5 s: escalated by the hub's own timer.
    await untilAsync(async () => (await get(`/api/alerts/${forced.id}`)).alert.level >= 1, 'the escalation', 30_000);
    const dispatched = await act(`/api/alerts/${forced.id}/dispatch`, {
      assignee: { type: 'team', id: 'security-east' },
      note: '派保安到东门侧门',
    });
    expect(dispatched.alert.state).toBe('dispatched');
    expect((await act(`/api/alerts/${forced.id}/acknowledge`, { note: '已到场' })).alert.state).toBe('acknowledged');
    const noNote = await fetch(`${hubUrl}/api/alerts/${forced.id}/resolve`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noNote.status).toBe(400);
    expect((await act(`/api/alerts/${forced.id}/resolve`, { note: '门锁已修复，无人员进入' })).alert.state).toBe(
      'resolved',
    );
    const again = await act(`/api/alerts/${forced.id}/acknowledge`, {});
    expect(again.error.code).toBe('ALERT_INVALID_TRANSITION');

    const history = (await get(`/api/alerts/${forced.id}/history`)).history as {
      action: string;
      actor: string;
      to: string;
      note: string | null;
    }[];
    const actions = history.map((h) => h.action);
    expect(actions[0]).toBe('raise');
    expect(actions).toEqual(expect.arrayContaining(['escalate', 'dispatch', 'acknowledge', 'resolve']));
    expect(history.at(-1)).toMatchObject({ to: 'resolved', note: '门锁已修复，无人员进入' });
    expect(history.filter((h) => h.actor !== 'system').every((h) => /^[0-9A-Z]{26}$/.test(h.actor))).toBe(true);
    expect(folded.count).toBe(2);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON replies checked field by field
  async function post(path: string, body: object, token?: string): Promise<any> {
    const res = await fetch(hubUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return res.json();
  }
});
