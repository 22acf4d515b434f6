import { createServer } from 'node:net';
import type { EventDraft } from '@linli/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { BusManager } from '../../src/bus/bus-manager.js';
import { LineManager } from '../../src/line/line-manager.js';
import { createDevice, type DeviceHandle } from '../../src/device.js';
import { builtinRegistry } from '../../src/registry.js';
import { ModbusSimulator } from '../../src/sim/modbus-sim.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address() as { port: number };
      s.close(() => resolve(a.port));
    });
  });
}

async function until<T>(fn: () => T | undefined, what: string, ms = 10_000): Promise<T> {
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

describe('Modbus TCP device against the simulator (real loopback sockets)', () => {
  it('reads the meter, raises an alarm on a discrete input, goes offline and back online', async () => {
    const registry = builtinRegistry();
    const port = await freePort();
    const meterDef = await registry.getModbus('energy-meter-3p');
    const sensorDef = await registry.getModbus('di-safety-sensor');
    let sim = new ModbusSimulator({
      host: '127.0.0.1',
      port,
      units: [
        { unitId: 1, def: meterDef },
        { unitId: 2, def: sensorDef },
      ],
      tickMs: 100_000,
      seed: 1,
    });
    await sim.start();
    cleanup.push(() => sim.stop());

    const events: EventDraft[] = [];
    const ctx = {
      emit: async (d: EventDraft) => void events.push(d),
      log: { info: () => {}, warn: () => {} },
      buses: new BusManager(),
      lines: new LineManager(),
    };
    const devices: DeviceHandle[] = [
      createDevice(
        meterDef,
        {
          id: 'meter-01',
          type: meterDef.type,
          pollMs: 100,
          timeoutMs: 300,
          transport: { kind: 'modbus-tcp', host: '127.0.0.1', port, unitId: 1 },
        },
        ctx,
      ),
      createDevice(
        sensorDef,
        {
          id: 'safety-01',
          type: sensorDef.type,
          pollMs: 100,
          timeoutMs: 300,
          transport: { kind: 'modbus-tcp', host: '127.0.0.1', port, unitId: 2 },
        },
        ctx,
      ),
    ];
    for (const d of devices) d.start();
    cleanup.push(async () => {
      for (const d of devices) await d.stop();
    });

    const reading = await until(() => events.find((e) => e.kind === 'meter.reading'), 'a meter reading');
    if (reading.kind !== 'meter.reading') throw new Error('unreachable');
    expect(reading.payload.values.voltageA).toBe(220);
    expect(reading.payload.units.energyTotal).toBe('kWh');
    // Each device polls on its own timer: the sensor's first poll may land after the meter's reading.
    const online = await until(() => {
      const ids = events.filter((e) => e.kind === 'device.online').map((e) => e.deviceId);
      return ids.length >= 2 ? ids.sort() : undefined;
    }, 'both devices online');
    expect(online).toEqual(['meter-01', 'safety-01']);

    sim.set(2, 'smoke', 1);
    const smoke = await until(() => events.find((e) => e.kind === 'smoke.alarm'), 'a smoke alarm');
    expect(smoke).toMatchObject({ deviceId: 'safety-01', severity: 'critical', payload: { active: true } });

    await sim.stop();
    await until(
      () => events.filter((e) => e.kind === 'device.offline').length === 2 || undefined,
      'both devices offline',
    );
    expect(devices.every((d) => d.online() === false)).toBe(true);

    sim = new ModbusSimulator({
      host: '127.0.0.1',
      port,
      units: [
        { unitId: 1, def: meterDef },
        { unitId: 2, def: sensorDef },
      ],
      tickMs: 100_000,
      seed: 1,
    });
    await sim.start();
    await until(
      () => events.filter((e) => e.kind === 'device.online').length === 4 || undefined,
      'both devices back online',
      20_000,
    );
    // One offline and one online event per change, never a storm.
    expect(events.filter((e) => e.kind === 'device.offline')).toHaveLength(2);
  });
});
