import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinliEvent } from '@linli/contract';
import { builtinRegistry, GateSimulator, type OnvifSimulator } from '@linli/drivers';
import { Controller, createLogger, loadConfig } from '@linli/gateway';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noFfmpegLeft, startRtspCamera } from '../helpers/cameras.js';
import { startHub } from '../helpers/in-process.js';
import { until, untilAsync } from '../helpers/processes.js';

/**
 * The compound's east gate: an ISAPI door terminal and the camera that covers
 * it, both simulated over their real protocols, one real gateway and a real
 * hub. A forced door raises an alert at the hub with the camera's picture of
 * that moment; an operator opens the gate remotely from the hub, the terminal
 * does it, and the audit log says who asked.
 */
const GW = 'gw-341302001001';
const GRID = '341302001001001';
let h: Awaited<ReturnType<typeof startHub>>;
let gate: GateSimulator;
let cam: OnvifSimulator;
let gw: Controller;
const cleanup: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  h = await startHub(GW);
  cleanup.push(() => h.hub.stop());
  cam = await startRtspCamera('cam-east', { username: 'viewer', password: 'Cam-pw-88412' }, cleanup);
  gate = new GateSimulator({ username: 'linli', password: 'Gate-pw-5521', doors: 2, heartbeatMs: 500, seed: 3 });
  await gate.start();
  cleanup.push(() => gate.stop());

  const dir = mkdtempSync(join(tmpdir(), 'linli-gatecam-'));
  mkdirSync(join(dir, 'secrets'), { mode: 0o700 });
  writeFileSync(join(dir, 'gateway.token'), h.token, { mode: 0o600 });
  writeFileSync(join(dir, 'secrets', 'cam.pw'), 'Cam-pw-88412\n', { mode: 0o600 });
  writeFileSync(join(dir, 'secrets', 'gate.pw'), 'Gate-pw-5521\n', { mode: 0o600 });
  writeFileSync(
    join(dir, 'gateway.yaml'),
    `version: 1
gateway: { id: ${GW}, community: "341302001001" }
dataDir: ./state
hub: { url: "${h.url}", tokenFile: ./gateway.token }
media: { keepHours: 24, maxFfmpeg: 2 }
devices:
  - id: gate-east
    type: isapi-door-terminal
    transport:
      kind: isapi
      host: 127.0.0.1
      port: ${gate.port}
      username: linli
      passwordFile: ./secrets/gate.pw
      doors: ["东门", "东门侧门"]
      heartbeatTimeoutMs: 5000
    location: { lng: 117.02, lat: 33.65, gridId: "${GRID}" }
  - id: cam-east
    type: onvif-camera
    timeoutMs: 15000
    healthIntervalMs: 600000
    transport: { kind: onvif, host: 127.0.0.1, port: ${cam.port}, username: viewer, passwordFile: ./secrets/cam.pw }
    covers: [gate-east]
    location: { lng: 117.02, lat: 33.65, gridId: "${GRID}" }
`,
  );
  const registry = builtinRegistry();
  gw = new Controller(loadConfig(join(dir, 'gateway.yaml'), registry), registry, createLogger('gateway', 'silent'));
  cleanup.push(() => gw.stop());
  await gw.start();
}, 120_000);

afterAll(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
  await noFfmpegLeft();
});

async function session(username: string, role: 'street_leader' | 'city_operator', areaCode: string) {
  const a = await h.hub.auth.createAccount({ username, displayName: username, role, areaCode }, 'test', Date.now());
  return { id: a.user.id, token: (await h.hub.auth.sessions.create(a.user.id, 'interactive', Date.now())).token };
}

describe('east gate: terminal + camera + gateway + hub', () => {
  it('raises an alert for a forced door with the covering camera’s picture, shown only inside the area', async () => {
    const leader = await session('leader.east', 'street_leader', '341302001');
    const outsider = await session('leader.west', 'street_leader', '341302002');
    await until(() => gate.streamCount() > 0, 'the gateway on the gate’s alert stream', 30_000);
    const atHub = async (pred: (e: LinliEvent) => boolean) => (await h.store.recentEvents(1000)).find(pred);
    await untilAsync(
      () => atHub((e) => e.kind === 'device.online' && e.deviceId === 'cam-east'),
      'camera online',
      40_000,
    );

    gate.forced(2);
    const forced = await untilAsync(() => atHub((e) => e.kind === 'gate.forced'), 'gate.forced at the hub', 30_000);
    expect(forced).toMatchObject({ deviceId: 'gate-east', severity: 'critical', payload: { door: '东门侧门' } });
    const alert = await untilAsync(
      async () => (await h.hub.alerts.list([GRID])).find((a) => a.kind === 'gate.forced'),
      'an alert for the forced door',
    );
    expect(alert.firstEventId).toBe(forced.id);

    const picture = await untilAsync(
      async () => {
        const r = await fetch(`${h.url}/api/events/${forced.id}/snapshot`, {
          headers: { authorization: `Bearer ${leader.token}` },
        });
        return r.status === 200 ? { r, bytes: Buffer.from(await r.arrayBuffer()) } : null;
      },
      'the snapshot of the forced door at the hub',
      60_000,
    );
    expect(picture.r.headers.get('content-type')).toBe('image/webp');
    expect(picture.r.headers.get('x-camera-id')).toBe('cam-east');
    const meta = await sharp(picture.bytes).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.width).toBeGreaterThan(0);
    // Taken at that moment: not before the door was forced.
    expect(Number(picture.r.headers.get('x-taken-at'))).toBeGreaterThanOrEqual(forced.receivedAt - 1000);

    const other = await fetch(`${h.url}/api/events/${forced.id}/snapshot`, {
      headers: { authorization: `Bearer ${outsider.token}` },
    });
    expect(other.status).toBe(404);
  });

  it('opens the gate from the hub: the terminal does it, the hub records the answer, the audit log says who asked', async () => {
    const op = await session('duty.op', 'city_operator', '341300');
    const before = gate.remoteOpens.length;
    const res = await fetch(`${h.url}/api/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${op.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ gatewayId: GW, deviceId: 'gate-east', name: 'gate.open', args: { door: 1 } }),
    });
    expect(res.status).toBe(200);
    const { command } = (await res.json()) as { command: { command: { id: string } } };
    const done = await untilAsync(
      async () => {
        const r = await fetch(`${h.url}/api/commands/${command.command.id}`, {
          headers: { authorization: `Bearer ${op.token}` },
        });
        const c = ((await r.json()) as { command: { state: string; result: Record<string, unknown> | null } }).command;
        return c.state === 'done' || c.state === 'failed' ? c : null;
      },
      'the gateway’s answer',
      30_000,
    );
    expect(done.state).toBe('done');
    expect(done.result).toMatchObject({ door: 1 });
    expect(gate.remoteOpens.length).toBe(before + 1);
    expect(gate.remoteOpens.at(-1)).toMatchObject({ door: 1, username: 'linli' });
    // The terminal logs the open; it comes back as a pass with method remote.
    await untilAsync(
      async () =>
        (await h.store.recentEvents(1000)).find(
          (e) => e.kind === 'gate.pass' && (e.payload as { method: string }).method === 'remote',
        ),
      'the remote pass event',
      30_000,
    );
    const audit = await h.hub.services.auditLog.list(
      { userId: 'auditor', role: 'auditor', areaCode: '341300' },
      { userId: op.id, limit: 100 },
    );
    const actions = audit.entries.map((e) => `${e.action}:${e.outcome}`);
    expect(actions).toEqual(expect.arrayContaining(['command:gate.open:ok', 'command:gate.open:answer:ok']));
    expect(audit.entries.find((e) => e.action === 'command:gate.open')!.target).toEqual({ type: 'gateway', id: GW });
  });

  it('refuses a command that arrives after it expired, and a remote open of an unknown door', async () => {
    const expired = await gw.commands.handle({
      id: '01JZ0000000000000000000000',
      name: 'gate.open',
      deviceId: 'gate-east',
      args: {},
      issuedBy: 'someone',
      issuedAt: Date.now() - 120_000,
      expiresAt: Date.now() - 60_000,
    });
    expect(expired).toMatchObject({ ok: false, error: { code: 'EXPIRED' } });
    const badDoor = await gw.commands.handle({
      id: '01JZ0000000000000000000001',
      name: 'gate.open',
      deviceId: 'gate-east',
      args: { door: 9 },
      issuedBy: 'someone',
      issuedAt: Date.now(),
      expiresAt: Date.now() + 60_000,
    });
    expect(badDoor.ok).toBe(false);
  });
});
