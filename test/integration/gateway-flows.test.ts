import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Command, createIdFactory, type GatewayView } from '@linli/contract';
import { builtinRegistry, ModbusSimulator, OnvifSimulator, type RtspServer, startRtspServer } from '@linli/drivers';
import { Controller, createLogger, loadConfig } from '@linli/gateway';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  GATEWAY_CLI,
  HUB_CLI,
  hubCli,
  node,
  type Proc,
  ready,
  until,
  untilAsync,
  cockpitToken,
} from '../helpers/processes.js';

/**
 * Local rules end to end: the real hub (a process), a simulated lift and
 * safety module (Modbus TCP on loopback), and a gateway with Node-RED
 * embedded running the shipped flows. The gateway runs in this process so
 * the test can hand it hub commands the way the downlink will.
 */
const GW = 'gw-341302001001';
const PASSWORD = 'correct-horse-battery-staple';
const SECRET = 'svc-Pa55word-in-a-flow';
const nextId = createIdFactory();
let dir: string;
let gwDir: string;
let hubPort: number;
let httpPort: number;
let hub: Proc;
let sim: ModbusSimulator;
let gateway: Controller;
let liftCam: OnvifSimulator;
let rtsp: RtspServer;
let cockpitKey: string;
const logLines: string[] = [];

const startHub = async () => {
  hub = node(HUB_CLI, ['serve', '--data', join(dir, 'hub'), '--port', String(hubPort)]);
  await ready(hub, 'hub');
};
const hubAlerts = (): { seq: number; text: string }[] => {
  const db = new Database(join(dir, 'hub', 'hub.sqlite'), { readonly: true });
  try {
    const rows = db.prepare("SELECT seq, body FROM events WHERE gateway_id = ? AND kind = 'rule.alert'").all(GW) as {
      seq: number;
      body: string;
    }[];
    return rows.map((r) => ({ seq: r.seq, text: (JSON.parse(r.body) as { payload: { text: string } }).payload.text }));
  } finally {
    db.close();
  }
};
/** The lift stops between floors with people inside, as the simulator's own entrapments do. */
const trap = (floor: number) => {
  sim.set(4, 'trapped', 0);
  for (const [k, v] of Object.entries({ floor, trapped: 1, running: 0, direction: 0, door: 0, faultCode: 0x31 }))
    sim.set(4, k, v);
  sim.set(4, 'timer', 600_000);
};
const rescue = () => {
  sim.set(4, 'trapped', 0);
  sim.set(4, 'faultCode', 0);
};
const basic = (user: string, pw: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`,
});
const http = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${httpPort}${path}`, init);
const command = (name: Command['name'], args: Record<string, unknown>, over: Partial<Command> = {}): Command => ({
  id: nextId(),
  name,
  args,
  issuedBy: 'ops:test',
  issuedAt: Date.now(),
  expiresAt: Date.now() + 60_000,
  ...over,
});
const shippedFlows = () =>
  JSON.parse(readFileSync(join(gwDir, 'state', 'flowsets', 'current.json'), 'utf8')).flows as Record<string, unknown>[];
function filesUnder(d: string): string[] {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(d, e.name)) : [join(d, e.name)],
  );
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linli-flows-'));
  [hubPort, httpPort] = [await freePort(), await freePort()];
  const token = hubCli(join(dir, 'hub'), ['gateway', 'add', '--id', GW, '--area', '341302001001']);
  cockpitKey = cockpitToken(join(dir, 'hub'));
  await startHub();
  const simPort = await freePort();
  const registry = builtinRegistry();
  sim = new ModbusSimulator({
    host: '127.0.0.1',
    port: simPort,
    seed: 11,
    units: [
      { unitId: 2, def: (await registry.get('di-safety-sensor')) as never },
      { unitId: 4, def: (await registry.get('elevator-monitor')) as never },
    ],
  });
  await sim.start();
  // The car camera of lift 04: ONVIF + a real RTSP stream; it covers the lift, so the lift's alarms get its picture.
  rtsp = await startRtspServer({ pattern: 'white' });
  liftCam = new OnvifSimulator({
    name: 'cam-lift-04',
    username: 'viewer',
    password: 'Cam-pw-40404',
    rtspUrl: rtsp.url,
    snapshot: false,
    maxPullWaitMs: 300,
  });
  await liftCam.start();
  gwDir = join(dir, 'gw');
  mkdirSync(gwDir);
  writeFileSync(join(gwDir, 'gateway.token'), token, { mode: 0o600 });
  writeFileSync(
    join(gwDir, 'gateway.yaml'),
    `version: 1
gateway:
  id: ${GW}
  community: "341302001001"
dataDir: ./state
hub:
  url: http://127.0.0.1:${hubPort}
  tokenFile: ./gateway.token
http: { host: 127.0.0.1, port: ${httpPort} }
flows:
  rollbackWindowMs: 1500
devices:
  - id: safety-01
    type: di-safety-sensor
    pollMs: 200
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${simPort}, unitId: 2 }
    location: { lng: 117.012, lat: 33.661, gridId: "341302001001002" }
  - id: lift-04
    type: elevator-monitor
    pollMs: 200
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${simPort}, unitId: 4 }
    location: { lng: 117.013, lat: 33.662, gridId: "341302001001001" }
  - id: cam-lift-04
    type: onvif-camera
    timeoutMs: 15000
    healthIntervalMs: 600000
    transport: { kind: onvif, host: 127.0.0.1, port: ${liftCam.port}, username: viewer, password: Cam-pw-40404 }
    covers: [lift-04]
    location: { lng: 117.013, lat: 33.662, gridId: "341302001001001" }
`,
  );
  // Provisioning, as an installer does it: the CLI reads the password on stdin and stores its bcrypt hash.
  const set = spawnSync(process.execPath, [GATEWAY_CLI, 'flows', 'set-password', '-c', join(gwDir, 'gateway.yaml')], {
    input: `${PASSWORD}\n`,
    encoding: 'utf8',
  });
  expect(set.status, set.stderr).toBe(0);
  const loaded = loadConfig(join(gwDir, 'gateway.yaml'), registry);
  gateway = new Controller(
    loaded,
    registry,
    createLogger('gw', 'info', { write: (l: string) => void logLines.push(l) }),
  );
  await gateway.start();
});

afterAll(async () => {
  await gateway?.stop();
  await liftCam?.stop();
  await rtsp?.stop();
  await sim?.stop();
  await hub?.stop();
});

describe('local rules with Node-RED embedded in the gateway', () => {
  it('starts the shipped flows on first start and refuses the editor without a password set (no default)', () => {
    expect(gateway.health().flowsVersion).toBe('shipped-1');
    const hash = readFileSync(join(gwDir, 'flows.password'), 'utf8');
    expect(hash).toMatch(/^\$2[aby]\$12\$/);
    expect(hash).not.toContain(PASSWORD);
    expect(statSync(join(gwDir, 'flows.password')).mode & 0o777).toBe(0o600);
    const noPw = spawnSync(
      process.execPath,
      [GATEWAY_CLI, 'flows', 'set-password', '-c', join(gwDir, 'gateway.yaml')],
      {
        input: 'short\n',
        encoding: 'utf8',
      },
    );
    expect(noPw.status).toBe(1);
    expect(noPw.stderr).toContain('at least 10 characters');
  });

  it('a trapped passenger → the shipped flow raises an alarm that reaches the hub, with the car camera’s picture', async () => {
    await until(
      () => gateway.health().devices.find((d) => d.id === 'cam-lift-04')?.online,
      'the lift camera online',
      40_000,
    );
    trap(13);
    const alert = await until(
      () => hubAlerts().find((a) => a.text.includes('lift-04 停在 13 层')),
      'the entrapment alert at the hub',
    );
    expect(alert.text).toMatch(/^电梯困人：lift-04 停在 13 层，已困 0 秒/);
    // The lift's own entrapment alarm carries the car camera's picture of that moment, served by the hub.
    const db = new Database(join(dir, 'hub', 'hub.sqlite'), { readonly: true });
    const entrapment = db
      .prepare("SELECT id FROM events WHERE kind = 'elevator.entrapment' ORDER BY seq DESC LIMIT 1")
      .get() as { id: string } | undefined;
    db.close();
    expect(entrapment).toBeDefined();
    const picture = await untilAsync(
      async () => {
        const r = await fetch(`http://127.0.0.1:${hubPort}/api/events/${entrapment!.id}/snapshot`, {
          headers: { authorization: `Bearer ${cockpitKey}` },
        });
        return r.status === 200 ? r : null;
      },
      'the car camera picture at the hub',
      60_000,
    );
    expect(picture.headers.get('content-type')).toBe('image/webp');
    expect(picture.headers.get('x-camera-id')).toBe('cam-lift-04');
    // The flow's own snapshot step found the camera this time.
    expect(logLines.some((l) => l.includes('no device cam-lift-04'))).toBe(false);
    rescue();
  });

  it('smoke → an alarm to the hub and the local siren relay switched on, read back from the module', async () => {
    expect(gateway.flowsApi!.latest('safety-01')!.values!.siren).toBe(0);
    // Hold the alarm on (the module's model clears an alarm when its clock passes the hold time).
    sim.set(2, 'clock', -600_000);
    sim.set(2, 'smoke', 1);
    await until(
      () => hubAlerts().find((a) => a.text.startsWith('烟感报警 smoke：safety-01')),
      'the smoke alert at the hub',
    );
    await until(() => gateway.flowsApi!.latest('safety-01')!.values!.siren === 1, 'the siren coil to read back on');
    sim.set(2, 'smoke', 0);
    sim.set(2, 'siren', 0);
  });

  it('one-key call → an alarm naming the caller and the nearest person on duty (or that nobody is)', async () => {
    await until(() => gateway.flowsApi!.latest('safety-01')!.values!.smoke === 0, 'the smoke alarm to clear');
    sim.set(2, 'sosButton', 1);
    const a = await until(() => hubAlerts().find((x) => x.text.startsWith('一键呼叫：')), 'the one-key call alert');
    // The roster's night shift covers this grid's community 20:00–08:00 China time; by day nobody is on it.
    const hour = new Date(Date.now() + 8 * 3600_000).getUTCHours();
    expect(a.text).toContain('（safety-01）');
    expect(a.text).toContain(hour >= 20 || hour < 8 ? '值班员B 139****0002' : '无当班人员');
    sim.set(2, 'sosButton', 0);
  });

  it('with the hub stopped, the alarm is raised and buffered locally, shown on the status page, and delivered when the hub returns', async () => {
    await hub.stop();
    await until(() => gateway.health().uplink !== 'online', 'the uplink to notice');
    await until(() => liftFree(), 'the rescue to be polled');
    trap(15);
    const page = await untilAsync(async () => {
      const r = await http('/status', { headers: basic('admin', PASSWORD) });
      const body = await r.text();
      return r.status === 200 && body.includes('lift-04 停在 15 层') ? body : null;
    }, 'the alarm on the status page');
    expect(page).toContain('待上报 queued');
    expect(page).toContain('电梯困人');
    expect(page).toMatch(/规则版本 Flows: <b id="flows-version">shipped-1<\/b>/);
    expect(hubAlerts().some((a) => a.text.includes('15 层'))).toBe(false);
    rescue();
    await startHub();
    await until(
      () => hubAlerts().find((a) => a.text.includes('lift-04 停在 15 层')),
      'the buffered alert at the hub',
      40_000,
    );
    const after = await (await http('/status', { headers: basic('admin', PASSWORD) })).text();
    expect(after.split('lift-04 停在 15 层')[0]!.split('<li').at(-1)).toContain('已上报 delivered');
  });

  it('applies a pushed flow set, keeps the previous one on disk and reports its version to the hub', async () => {
    const flows = [
      ...shippedFlows(),
      { id: 'b1000000000000e1', type: 'tab', label: 'fault' },
      {
        id: 'b1000000000000e2',
        type: 'linli-event-in',
        z: 'b1000000000000e1',
        kinds: 'elevator.fault',
        wires: [['b1000000000000e3']],
      },
      {
        id: 'b1000000000000e3',
        type: 'linli-alert',
        z: 'b1000000000000e1',
        rule: 'lift-fault',
        severity: 'warning',
        text: '电梯故障码 {{payload.faultCode}}',
        wires: [[]],
      },
    ];
    const reply = await gateway.commands.handle(command('flows.apply', { version: '2026.11-a', flows }));
    expect(reply).toEqual({ ok: true, result: { ok: true, version: '2026.11-a', rolledBack: false } });
    expect(gateway.health().flowsVersion).toBe('2026.11-a');
    const store = join(gwDir, 'state', 'flowsets');
    expect(JSON.parse(readFileSync(join(store, 'previous.json'), 'utf8')).version).toBe('shipped-1');
    await untilAsync(
      async () => {
        const r = await fetch(`http://127.0.0.1:${hubPort}/api/gateways`, {
          headers: { authorization: `Bearer ${cockpitKey}` },
        });
        const { gateways } = (await r.json()) as { gateways: GatewayView[] };
        return gateways.find((v) => v.id === GW)?.status?.flowsVersion === '2026.11-a';
      },
      'the hub to see the new flows version',
      30_000,
    );
  });

  it('refuses an invalid flow set outright, and an expired or repeated command is not executed twice', async () => {
    const bad = await gateway.commands.handle(
      command('flows.apply', {
        version: 'x1',
        flows: [
          { id: 'n1', type: 'exec', command: 'rm -rf /' },
          { id: 'n2', type: 'linli-alert', rule: 'r', severity: 'loud' },
        ],
      }),
    );
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error.code).toBe('FLOWS_REFUSED');
    expect(bad.error.message).toContain('flows[1].severity');
    const expired = await gateway.commands.handle(
      command('flows.apply', { version: 'x2', flows: shippedFlows() }, { expiresAt: Date.now() - 1 }),
    );
    expect(expired).toMatchObject({ ok: false, error: { code: 'EXPIRED' } });
    expect(gateway.health().flowsVersion).toBe('2026.11-a');
  });

  it('rolls back a flow set whose nodes fail to start; the previous flows keep running and the failure is reported', async () => {
    const previous = shippedFlows();
    const tab = previous.find((n) => n.type === 'tab')!.id;
    const broken = [
      ...previous,
      {
        id: 'c1000000000000e1',
        type: 'function',
        z: tab,
        name: 'typo',
        func: 'return msg;; }}',
        outputs: 1,
        wires: [[]],
      },
    ];
    // Pushed from the hub by an installer, over the REST API and the command downlink.
    const made = JSON.parse(
      hubCli(join(dir, 'hub'), [
        'user',
        'add',
        '--username',
        'installer.a',
        '--role',
        'installer',
        '--area',
        '341302001001',
      ]),
    ) as { password: string };
    const login = await fetch(`http://127.0.0.1:${hubPort}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'installer.a', password: made.password }),
    });
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const pushed = await fetch(`http://127.0.0.1:${hubPort}/api/commands`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ gatewayId: GW, name: 'flows.apply', args: { version: '2026.11-b', flows: broken } }),
    });
    expect(pushed.status).toBe(200);
    const id = ((await pushed.json()) as { command: { command: { id: string } } }).command.command.id;
    const record = await untilAsync(
      async () => {
        const r = await fetch(`http://127.0.0.1:${hubPort}/api/commands/${id}`, { headers: auth });
        const c = (
          (await r.json()) as {
            command: { state: string; command: Command; error: { code: string; message: string } | null };
          }
        ).command;
        return c.state === 'failed' || c.state === 'done' ? c : null;
      },
      'the gateway to answer the pushed flow set',
      60_000,
    );
    expect(record.state).toBe('failed');
    const reply = { ok: false as const, error: record.error! };
    expect(reply.error.code).toBe('FLOWS_ROLLED_BACK');
    const cmd = record.command;
    // The same command again (a resend after a reconnect) gets the same answer without a second deploy.
    expect(await gateway.commands.handle(cmd)).toEqual(reply);
    // The rules still work.
    await until(() => liftFree(), 'the lift to be free');
    trap(17);
    await until(
      () => hubAlerts().find((a) => a.text.includes('lift-04 停在 17 层')),
      'an alert from the restored flows',
    );
    rescue();
  });

  it('keeps the editor behind its login, stores flow credentials encrypted with a key kept elsewhere', async () => {
    expect((await http('/admin/flows/flows')).status).toBe(401);
    expect((await http('/status')).status).toBe(401);
    const login = await http('/admin/flows/auth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `client_id=node-red-editor&grant_type=password&scope=*&username=admin&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(login.status).toBe(200);
    const { access_token } = (await login.json()) as { access_token: string };
    const auth = { authorization: `Bearer ${access_token}`, 'node-red-api-version': 'v2' };
    const current = (await (await http('/admin/flows/flows', { headers: auth })).json()) as {
      flows: Record<string, unknown>[];
      rev: string;
    };
    expect(current.flows.some((n) => n.type === 'linli-alert')).toBe(true);
    const tab = current.flows.find((n) => n.type === 'tab')!.id;
    const deployed = await http('/admin/flows/flows', {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json', 'node-red-deployment-type': 'full' },
      body: JSON.stringify({
        rev: current.rev,
        flows: [
          ...current.flows,
          {
            id: 'd1000000000000e1',
            type: 'http request',
            z: tab,
            method: 'GET',
            url: 'http://127.0.0.1:1/',
            authType: 'basic',
            credentials: { user: 'svc', password: SECRET },
            wires: [[]],
          },
        ],
      }),
    });
    expect(deployed.status).toBe(200);
    await until(() => gateway.health().flowsVersion === '2026.11-a+edited', 'the editor deploy to be noticed');
    const state = join(gwDir, 'state');
    const cred = join(state, 'node-red', 'flows_cred.json');
    await until(() => statSync(cred, { throwIfNoEntry: false }) !== undefined, 'the credentials file');
    expect(Object.keys(JSON.parse(readFileSync(cred, 'utf8')))).toEqual(['$']);
    const key = readFileSync(join(state, 'keys', 'flows-credentials.key'), 'utf8').trim();
    for (const f of filesUnder(state)) {
      const text = readFileSync(f).toString('latin1');
      expect(text.includes(SECRET), `${f} holds the flow credential in plain text`).toBe(false);
      expect(text.includes(PASSWORD), `${f} holds the admin password`).toBe(false);
      if (!f.endsWith('flows-credentials.key')) expect(text.includes(key), `${f} holds the credential key`).toBe(false);
    }
    expect(statSync(join(state, 'keys', 'flows-credentials.key')).mode & 0o777).toBe(0o600);
    const logs = logLines.join('\n');
    expect(logs.includes(SECRET) || logs.includes(PASSWORD) || logs.includes(key)).toBe(false);
  });

  it('rate-limits wrong passwords on the editor and the status page', async () => {
    const attempt = (password: string) =>
      http('/admin/flows/auth/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `client_id=node-red-editor&grant_type=password&scope=*&username=admin&password=${password}`,
      });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt(`guess-${i}`)).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403]);
    const locked = await attempt(encodeURIComponent(PASSWORD));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await http('/status', { headers: basic('admin', PASSWORD) })).status).toBe(429);
  });
});

/** The gateway's latest poll of the lift shows nobody trapped, so the next trap is a new onset. */
function liftFree(): boolean {
  return gateway.flowsApi?.latest('lift-04')?.values?.trapped === 0;
}
