import { createServer } from 'node:http';
import type { EventDraft } from '@linli/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { BusManager } from '../../src/bus/bus-manager.js';
import { createDevice, type DeviceHandle } from '../../src/device.js';
import { LineManager } from '../../src/line/line-manager.js';
import { builtinRegistry } from '../../src/registry.js';
import { GateSimulator, type GateSimOptions } from '../../src/sim/gate-sim.js';

async function until<T>(fn: () => T | undefined | false, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

const PASSWORD = 'Gate-pw-7731';

async function rig(o: Partial<GateSimOptions> = {}, t: Record<string, unknown> = {}, type = 'isapi-door-terminal') {
  const sim = new GateSimulator({ username: 'admin', password: PASSWORD, doors: 2, heartbeatMs: 100, seed: 11, ...o });
  await sim.start();
  cleanup.push(() => sim.stop());
  const events: EventDraft[] = [];
  const logs: string[] = [];
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) =>
    void logs.push(JSON.stringify({ level, msg, ...fields }));
  const def = await builtinRegistry().get(type);
  const device: DeviceHandle = createDevice(
    def,
    {
      id: 'gate-01',
      type,
      pollMs: 1000,
      timeoutMs: 2000,
      transport: {
        kind: 'isapi',
        host: '127.0.0.1',
        port: sim.port,
        username: 'admin',
        password: PASSWORD,
        doors: ['东门', '东门2'],
        mask: 'last4',
        heartbeatTimeoutMs: 1500,
        ...t,
      } as never,
    },
    {
      emit: async (d) => void events.push(d),
      log: { info: log('info'), warn: log('warn') },
      buses: new BusManager(),
      lines: new LineManager(),
    },
  );
  device.start();
  cleanup.push(() => device.stop());
  const kinds = (k: string) => events.filter((e) => e.kind === k);
  await until(
    () => kinds('device.online').length === 1 && sim.hits.get('/ISAPI/AccessControl/AcsEvent'),
    'online and floor search',
  );
  return { sim, device, events, logs, kinds };
}

/** Every fake name, card, employee number and plate the simulator knows: none may leave the driver. */
function personalStrings(sim: GateSimulator): string[] {
  return [
    ...sim.people.residents.flatMap((r) => [r.name, r.cardNo, r.employeeNo]),
    ...sim.people.plates,
    ...sim.log.flatMap((r) => [r.cardNo, r.name].filter((x): x is string => !!x)),
  ];
}

describe('ISAPI gate driver against the gate simulator (loopback HTTP)', () => {
  it('turns passes, refusals, forced and held-open doors and tamper into Linli events, minimised', async () => {
    const { sim, events, logs, kinds } = await rig();
    const card = sim.pass({ method: 'card', direction: 'in' });
    sim.pass({ method: 'face', direction: 'out' });
    sim.pass({ method: 'qr' });
    sim.pass({ method: 'password' });
    sim.refused(3, { reason: 'outsideSchedule' });
    sim.forced(2);
    sim.heldOpen(1, 75);
    sim.tamper(1);
    await until(() => kinds('gate.tamper').length === 1, 'the tamper event');
    expect(kinds('gate.pass').map((e) => e.payload)).toEqual([
      { method: 'card', direction: 'in', credentialMasked: `****${card.cardNo!.slice(-4)}` },
      { method: 'face', direction: 'out', credentialMasked: expect.stringMatching(/^\*{4}\d{4}$|^\*+$/) },
      { method: 'qr', direction: 'in', credentialMasked: expect.stringMatching(/^\*{4}\d{4}$/) },
      { method: 'password', direction: 'in', credentialMasked: expect.any(String) },
    ]);
    expect(kinds('gate.refused').map((e) => e.payload)).toEqual(
      Array(3).fill({ method: 'card', reason: 'outside_schedule' }),
    );
    expect(kinds('gate.forced')).toEqual([
      expect.objectContaining({ payload: { door: '东门2' }, deviceId: 'gate-01' }),
    ]);
    expect(kinds('gate.held_open')[0]!.payload).toEqual({ door: '东门', seconds: 75 });
    expect(kinds('gate.tamper')[0]!.payload).toEqual({ door: '东门' });
    const out = JSON.stringify(events) + logs.join('\n');
    for (const s of personalStrings(sim)) expect(out).not.toContain(s);
  });

  it('vehicle barrier: plates masked like 皖L·***45, block-listed plates refused', async () => {
    const { sim, kinds } = await rig({ mode: 'barrier', doors: 1 }, { doors: ['东门车闸'] }, 'isapi-vehicle-barrier');
    sim.vehicle({ plate: '皖L12345', direction: 'in' });
    sim.vehicle({ plate: '皖LD9876', direction: 'out', blocked: true });
    await until(() => kinds('gate.refused').length === 1, 'the refused plate');
    expect(kinds('gate.pass')[0]!.payload).toEqual({ method: 'plate', direction: 'in', credentialMasked: '皖L·***45' });
    expect(kinds('gate.refused')[0]!.payload).toEqual({ method: 'plate', reason: 'blocked_plate' });
  });

  it("mask 'none-kept' sends no identifier at all", async () => {
    const { sim, kinds } = await rig({}, { mask: 'none-kept' });
    sim.pass({ method: 'card' });
    await until(() => kinds('gate.pass').length === 1, 'a pass');
    expect(kinds('gate.pass')[0]!.payload).toEqual({ method: 'card', direction: 'in' });
  });

  it('catches up after a cut mid-part and after an outage: every event once, none lost', async () => {
    const { sim, kinds, events } = await rig();
    sim.pass();
    await until(() => kinds('gate.pass').length === 1, 'first pass');
    const half = sim.dropMidPart(); // recorded by the terminal, half sent, stream cut
    sim.pass(); // happens while the driver reconnects
    await until(() => kinds('gate.pass').length === 3, 'the cut and the missed pass via catch-up');
    expect(kinds('device.offline')).toHaveLength(0); // an immediate reconnect is not an outage
    await sim.vanish();
    await until(() => kinds('device.offline').length === 1, 'offline');
    sim.forced(1);
    sim.refused(2);
    sim.pass({ method: 'face' });
    await sim.reappear();
    await until(() => kinds('device.online').length === 2 && kinds('gate.pass').length === 4, 'online and caught up');
    sim.tamper();
    await until(() => kinds('gate.tamper').length === 1, 'live events after catch-up');
    expect(kinds('gate.forced')).toHaveLength(1);
    expect(kinds('gate.refused')).toHaveLength(2);
    // Every access record the terminal logged arrived exactly once (deviceTime is the record's time).
    const expected = sim.log.filter((r) => r.major !== 5 || ![0x19].includes(r.minor)).length;
    const gateEvents = events.filter((e) => e.kind.startsWith('gate.'));
    expect(gateEvents).toHaveLength(expected);
    expect(half.serialNo).toBeGreaterThan(0);
    expect(events.findIndex((e) => e.kind === 'device.offline')).toBeLessThan(
      events.findIndex((e) => e.kind === 'gate.forced'),
    );
  });

  it('logs a malformed part without its content and keeps reading the stream', async () => {
    const { sim, kinds, logs } = await rig();
    sim.malformed();
    sim.pass();
    await until(() => kinds('gate.pass').length === 1, 'the pass after the bad part');
    expect(logs.some((l) => l.includes('unusable alert stream part') && l.includes('not valid JSON'))).toBe(true);
    for (const s of personalStrings(sim)) expect(logs.join('\n')).not.toContain(s);
    expect(kinds('device.offline')).toHaveLength(0);
  });

  it('opens a door remotely: the terminal records who and when, and the open comes back as an event', async () => {
    const { sim, device, kinds } = await rig();
    const result = await device.command!('gate.open', { door: '东门2' });
    expect(result).toEqual({ door: 2, openedAt: expect.any(Number) });
    expect(sim.remoteOpens).toEqual([expect.objectContaining({ door: 2, username: 'admin', from: '127.0.0.1' })]);
    await until(() => kinds('gate.pass').length === 1, 'the remote-open event');
    expect(kinds('gate.pass')[0]!.payload).toEqual({ method: 'remote', direction: 'in' });
    await expect(device.command!('gate.open', { door: 3 })).rejects.toMatchObject({ code: 'INVALID_ARGS' });
    await expect(device.command!('camera.snapshot', {})).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    sim.refuseRemoteOpen(true);
    await expect(device.command!('gate.open', {})).rejects.toMatchObject({
      code: 'REFUSED',
      message: expect.stringContaining('doorAlwaysClosed'),
    });
    expect(sim.remoteOpens).toHaveLength(1);
  });

  it('wrong credentials: a clear error, one offline event, and the command says so too', async () => {
    const sim = new GateSimulator({ username: 'admin', password: PASSWORD, heartbeatMs: 100 });
    await sim.start();
    cleanup.push(() => sim.stop());
    const events: EventDraft[] = [];
    const def = await builtinRegistry().get('isapi-door-terminal');
    const device = createDevice(
      def,
      {
        id: 'gate-02',
        type: def.type,
        pollMs: 1000,
        timeoutMs: 2000,
        transport: {
          kind: 'isapi',
          host: '127.0.0.1',
          port: sim.port,
          username: 'admin',
          password: 'not-it',
          mask: 'last4',
          heartbeatTimeoutMs: 1500,
        },
      },
      {
        emit: async (d) => void events.push(d),
        log: { info: () => {}, warn: () => {} },
        buses: new BusManager(),
        lines: new LineManager(),
      },
    );
    device.start();
    cleanup.push(() => device.stop());
    const off = await until(() => events.find((e) => e.kind === 'device.offline'), 'offline');
    expect(off.payload).toEqual({ reason: expect.stringContaining('wrong username or password') });
    await expect(device.command!('gate.open', {})).rejects.toMatchObject({ code: 'AUTH' });
    expect(sim.remoteOpens).toHaveLength(0);
  });

  it('a hung terminal: offline after the heartbeat timeout, online when it answers again, and stop() never hangs', async () => {
    const { sim, device, kinds } = await rig();
    sim.hang(true);
    await until(() => kinds('device.offline').length === 1, 'offline while hung');
    expect(kinds('device.offline')[0]!.payload).toEqual({ reason: expect.stringMatching(/did not answer|no data/) });
    sim.hang(false);
    await until(() => kinds('device.online').length === 2, 'online again', 40_000);
    sim.hang(true);
    await device.stop(); // resolves although the terminal never answers
    expect(device.online()).not.toBeNull();
  });

  it('an unreachable terminal: offline with the socket error, command rejects as unreachable', async () => {
    const { sim, device, kinds } = await rig();
    await sim.vanish();
    await until(() => kinds('device.offline').length === 1, 'offline');
    expect(kinds('device.offline')[0]!.payload).toEqual({ reason: expect.stringContaining('ECONNREFUSED') });
    await expect(device.command!('gate.open', {})).rejects.toMatchObject({ code: 'UNREACHABLE' });
  });

  it('a web page where the alert stream should be: offline with a clear reason, no online flapping', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>login</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => new Promise((r) => server.close(() => r())));
    const events: EventDraft[] = [];
    const def = await builtinRegistry().get('isapi-door-terminal');
    const device = createDevice(
      def,
      {
        id: 'gate-03',
        type: def.type,
        pollMs: 1000,
        timeoutMs: 2000,
        transport: {
          kind: 'isapi',
          host: '127.0.0.1',
          port: (server.address() as { port: number }).port,
          username: 'admin',
          password: 'x',
          mask: 'last4',
          heartbeatTimeoutMs: 1500,
        },
      },
      {
        emit: async (d) => void events.push(d),
        log: { info: () => {}, warn: () => {} },
        buses: new BusManager(),
        lines: new LineManager(),
      },
    );
    device.start();
    cleanup.push(() => device.stop());
    const off = await until(() => events.find((e) => e.kind === 'device.offline'), 'offline');
    expect(off.payload).toEqual({ reason: expect.stringContaining('text/html, not a multipart alert stream') });
    expect(events.filter((e) => e.kind === 'device.online')).toHaveLength(0);
  });
});
