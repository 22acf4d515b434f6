import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinliEvent } from '@linli/contract';
import { builtinRegistry, ModbusSimulator } from '@linli/drivers';
import helper from 'node-red-node-test-helper';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Outbox } from '../../src/buffer/outbox.js';
import type { DeviceEntry } from '../../src/config/schema.js';
import { DeviceManager } from '../../src/devices/device-manager.js';
import { createRuntimeApi } from '../../src/flows/runtime-api.js';
import { createLogger } from '../../src/log.js';

/**
 * Each Linli node under Node-RED's own test harness, wired to the gateway's
 * real runtime API: a real outbox (SQLite in a temp folder) and real devices
 * polling a simulated safety module and lift over Modbus TCP on loopback.
 */
const require = createRequire(import.meta.url);
const eventIn = require('@linli/flows/nodes/linli-event-in.js');
const alert = require('@linli/flows/nodes/linli-alert.js');
const command = require('@linli/flows/nodes/linli-command.js');
const state = require('@linli/flows/nodes/linli-state.js');

const GW = 'gw-341302001001';
const LIFT_AT = { lng: 117.013, lat: 33.662, gridId: '341302001001001' };
const SAFETY_AT = { lng: 117.012, lat: 33.661, gridId: '341302001002003' };
let sim: ModbusSimulator;
let outbox: Outbox;
let devices: DeviceManager;

type Msg = Record<string, unknown>;
interface TestNode {
  on(e: string, l: (x: never) => void): void;
  receive(msg: Msg): void;
}
const node = (id: string) => helper.getNode(id) as unknown as TestNode;
const until = async (fn: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !fn(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!fn()) throw new Error(`timed out waiting for ${what}`);
};
const errorsOf = (id: string) =>
  helper
    .log()
    .args.map((a: [{ level: number; id?: string; msg?: unknown }]) => a[0])
    .filter((m: { level: number; id?: string }) => m.level === 20 && m.id === id)
    .map((m: { msg?: unknown }) => String(m.msg));
const collect = (id: string) => {
  const got: Msg[] = [];
  node(id).on('input', (m: never) => void got.push(m));
  return got;
};

beforeAll(async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const registry = builtinRegistry();
  sim = new ModbusSimulator({
    host: '127.0.0.1',
    port,
    seed: 7,
    units: [
      { unitId: 2, def: (await registry.get('di-safety-sensor')) as never },
      { unitId: 4, def: (await registry.get('elevator-monitor')) as never },
    ],
  });
  await sim.start();
  outbox = new Outbox({
    file: join(mkdtempSync(join(tmpdir(), 'linli-nodes-')), 'buffer.sqlite'),
    gatewayId: GW,
    synchronous: 'normal',
    ballastBytes: 0,
  });
  const entry = (id: string, unitId: number, type: string, location: typeof LIFT_AT): DeviceEntry => ({
    id,
    type,
    pollMs: 100,
    timeoutMs: 500,
    transport: { kind: 'modbus-tcp', host: '127.0.0.1', port, unitId } as never,
    location,
  });
  devices = new DeviceManager(
    [entry('safety-01', 2, 'di-safety-sensor', SAFETY_AT), entry('lift-04', 4, 'elevator-monitor', LIFT_AT)],
    registry,
    outbox,
    createLogger('test', 'silent'),
  );
  await devices.start();
  await until(() => (devices.handle('lift-04')?.latest() ?? null) !== null, 'the lift to be polled');
  await until(() => (devices.handle('safety-01')?.latest() ?? null) !== null, 'the safety module to be polled');
  helper.init(require.resolve('node-red'));
  helper.settings({ linli: createRuntimeApi({ gatewayId: GW, outbox, devices, location: LIFT_AT }) });
});

afterEach(async () => {
  await helper.unload();
});

afterAll(async () => {
  await devices.stop();
  outbox.close();
  await sim.stop();
});

const draft = (kind: string, deviceId: string, payload: object, severity?: string) =>
  ({ kind, deviceId, deviceTime: Date.now(), payload, ...(severity ? { severity } : {}) }) as never;

describe('linli event in', () => {
  it('passes on only the events matching kind, device, grid prefix and minimum severity', async () => {
    await helper.load(eventIn, [
      {
        id: 'in',
        type: 'linli-event-in',
        kinds: 'sos.call, smoke.alarm',
        device: '',
        grid: '341302001002',
        severity: 'critical',
        wires: [['out']],
      },
      { id: 'out', type: 'helper' },
    ]);
    const got = collect('out');
    await Promise.all([
      outbox.enqueue(draft('sos.call', 'safety-01', { household: '3-2-501' }), SAFETY_AT),
      outbox.enqueue(draft('sos.call', 'lift-04', {}), LIFT_AT), // other grid
      outbox.enqueue(draft('smoke.alarm', 'safety-01', { active: true }, 'warning'), SAFETY_AT), // too mild
      outbox.enqueue(draft('gas.alarm', 'safety-01', { active: true }), SAFETY_AT), // other kind
      outbox.enqueue(draft('smoke.alarm', 'safety-01', { active: false }), SAFETY_AT),
    ]);
    await until(() => got.length >= 2, 'two matching events');
    await new Promise((r) => setTimeout(r, 100));
    expect(got.map((m) => [m.topic, m.deviceId, m.payload])).toEqual([
      ['sos.call', 'safety-01', { household: '3-2-501' }],
      ['smoke.alarm', 'safety-01', { active: false }],
    ]);
    expect((got[0]!.event as LinliEvent).location.gridId).toBe(SAFETY_AT.gridId);
  });

  it('filters by device id', async () => {
    await helper.load(eventIn, [
      { id: 'in', type: 'linli-event-in', kinds: '', device: 'lift-04', grid: '', severity: '', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const got = collect('out');
    await outbox.enqueue(draft('sos.call', 'safety-01', {}), SAFETY_AT);
    await outbox.enqueue(draft('elevator.fault', 'lift-04', { faultCode: 49 }), LIFT_AT);
    await until(() => got.length >= 1, 'the lift event');
    expect(got.every((m) => m.deviceId === 'lift-04')).toBe(true);
  });

  it('refuses an unknown kind, a bad grid and a bad severity with a red status and an error', async () => {
    await helper.load(eventIn, [
      {
        id: 'in',
        type: 'linli-event-in',
        kinds: 'lift.trapped',
        device: '',
        grid: '34x',
        severity: 'loud',
        wires: [[]],
      },
    ]);
    const errors = errorsOf('in');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('unknown event kind "lift.trapped"');
    expect(errors[0]).toContain('grid');
    expect(errors[0]).toContain('unknown severity "loud"');
  });
});

describe('linli alert', () => {
  it('raises a rule.alert through the outbox with the rendered text, severity and the device location', async () => {
    await helper.load(alert, [
      {
        id: 'a',
        type: 'linli-alert',
        rule: 'elevator-entrapment',
        severity: 'critical',
        text: '电梯困人：{{deviceId}} 在 {{payload.floor}} 层',
        device: '',
        wires: [['out']],
      },
      { id: 'out', type: 'helper' },
    ]);
    const got = collect('out');
    const before = outbox.lastAssignedSeq();
    node('a').receive({ deviceId: 'lift-04', payload: { floor: 7 } });
    await until(() => got.length === 1, 'the alert to be raised');
    const stored = outbox.readAfter(before, 10).filter((e) => e.kind === 'rule.alert');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      kind: 'rule.alert',
      deviceId: 'lift-04',
      severity: 'critical',
      gatewayId: GW,
      location: LIFT_AT,
      payload: { rule: 'elevator-entrapment', text: '电梯困人：lift-04 在 7 层' },
    });
    expect(got[0]!.alert).toEqual({ id: stored[0]!.id, seq: stored[0]!.seq });
  });

  it('uses a string payload when it has no text, and the gateway location when no device is named', async () => {
    await helper.load(alert, [
      { id: 'a', type: 'linli-alert', rule: 'manual', severity: 'warning', text: '', device: '', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const got = collect('out');
    node('a').receive({ payload: '  请检查三号门  ' });
    await until(() => got.length === 1, 'the alert');
    const e = outbox.readAfter((got[0]!.alert as { seq: number }).seq - 1, 1)[0]!;
    expect(e).toMatchObject({ deviceId: GW, location: LIFT_AT, payload: { rule: 'manual', text: '请检查三号门' } });
  });

  it('reports bad input (no text, too long, bad device) as errors and raises nothing', async () => {
    await helper.load(alert, [
      { id: 'a', type: 'linli-alert', rule: 'r', severity: 'warning', text: '', device: '', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const got = collect('out');
    const before = outbox.lastAssignedSeq();
    node('a').receive({ payload: 42 });
    node('a').receive({ payload: 'x'.repeat(501) });
    node('a').receive({ payload: 'ok text', deviceId: 'Not An Id' });
    await until(() => errorsOf('a').length === 3, 'three errors');
    expect(errorsOf('a')).toEqual(['linli.errors.no-text', 'linli.errors.text-too-long', 'linli.errors.bad-device']);
    expect(got).toHaveLength(0);
    expect(outbox.lastAssignedSeq()).toBe(before);
  });

  it('refuses invalid settings (rule name, severity) at deploy', async () => {
    await helper.load(alert, [
      { id: 'a', type: 'linli-alert', rule: 'Bad Rule!', severity: 'panic', text: '', wires: [[]] },
    ]);
    expect(errorsOf('a')[0]).toMatch(/rule: .*severity: unknown severity "panic"/);
  });
});

describe('linli command', () => {
  it('switches the safety module siren relay over Modbus, and the device then reads it back on', async () => {
    await helper.load(command, [
      {
        id: 'c',
        type: 'linli-command',
        device: 'safety-01',
        command: 'relay.set',
        args: '{"relay":"siren","on":true}',
        wires: [['out']],
      },
      { id: 'out', type: 'helper' },
    ]);
    const got = collect('out');
    expect(devices.handle('safety-01')!.latest()!.siren).toBe(0);
    node('c').receive({ payload: 'smoke' });
    await until(() => got.length === 1, 'the command result');
    expect(got[0]!.payload).toEqual({ relay: 'siren', on: true });
    await until(() => devices.handle('safety-01')!.latest()!.siren === 1, 'the siren coil to read back as on');
    node('c').receive({ args: { on: false } });
    await until(() => devices.handle('safety-01')!.latest()!.siren === 0, 'the siren coil to read back as off');
  });

  it('reports an unknown device, a command the device does not take and bad arguments', async () => {
    await helper.load(command, [
      { id: 'c', type: 'linli-command', device: '', command: 'camera.snapshot', args: '', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const got = collect('out');
    node('c').receive({ deviceId: 'cam-lift-04' });
    node('c').receive({ deviceId: 'lift-04' });
    node('c').receive({ deviceId: 'lift-04', args: [1] });
    node('c').receive({});
    await until(() => errorsOf('c').length === 4, 'four errors');
    // Argument errors are found at once; the two refusals come back from the device asynchronously.
    expect(errorsOf('c').sort()).toEqual([
      'linli.errors.bad-args',
      'linli.errors.bad-device',
      'linli.errors.command-failed',
      'linli.errors.command-failed',
    ]);
    expect(got).toHaveLength(0);
  });

  it('refuses a non-JSON argument setting and an unknown command at deploy', async () => {
    await helper.load(command, [
      { id: 'c', type: 'linli-command', command: 'door.unlock', args: '{on:true}', wires: [[]] },
    ]);
    expect(errorsOf('c')[0]).toMatch(/command: unknown command "door.unlock".*args: arguments must be a JSON object/);
  });
});

describe('linli state', () => {
  it('reads the latest polled value of a data point, and whether the device is online', async () => {
    await helper.load(state, [
      { id: 's', type: 'linli-state', device: 'lift-04', point: 'floor', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const got = collect('out');
    node('s').receive({ payload: null });
    await until(() => got.length === 1, 'the value');
    expect(typeof got[0]!.payload).toBe('number');
    expect(got[0]!.payload).toBeGreaterThanOrEqual(1);
    expect(got[0]!.payload).toBeLessThanOrEqual(18);
    expect(got[0]!.online).toBe(true);
  });

  it('reports an unknown device and an unknown point', async () => {
    await helper.load(state, [
      { id: 's', type: 'linli-state', device: 'lift-09', point: 'floor', wires: [[]] },
      { id: 't', type: 'linli-state', device: 'lift-04', point: 'speed', wires: [[]] },
    ]);
    node('s').receive({});
    node('t').receive({});
    await until(() => errorsOf('s').length + errorsOf('t').length === 2, 'two errors');
    expect(errorsOf('s')).toEqual(['linli.errors.unknown-device']);
    expect(errorsOf('t')).toEqual(['linli.errors.no-value']);
  });

  it('needs a device and a point', async () => {
    await helper.load(state, [{ id: 's', type: 'linli-state', device: '', point: '', wires: [[]] }]);
    expect(errorsOf('s')[0]).toMatch(/device: a device id is required; point: a data point name is required/);
  });
});
