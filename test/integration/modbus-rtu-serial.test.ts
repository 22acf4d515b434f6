import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { EventDraft } from '@linli/contract';
import {
  BusManager,
  LineManager,
  builtinRegistry,
  createDevice,
  type DeviceHandle,
  ModbusSimulator,
} from '@linli/drivers';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../helpers/processes.js';
import { serialPair } from '../helpers/socat.js';

/**
 * Modbus RTU over a real (virtual) serial line: the simulator on one end of a
 * socat pty pair, the gateway's drivers on the other, several devices sharing
 * the one half-duplex bus, and Debian's mbpoll as an independent RTU master.
 */
const run = promisify(execFile);
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('Modbus RTU on a serial pair', () => {
  it('mbpoll reads the simulator over RTU; the drivers poll two units on one bus and survive a dead third', async () => {
    const line = await serialPair();
    cleanup.push(() => line.stop());
    const registry = builtinRegistry();
    const meter = await registry.getModbus('energy-meter-3p');
    const sensor = await registry.getModbus('di-safety-sensor');
    const sim = new ModbusSimulator({
      host: '127.0.0.1',
      port: 0,
      serial: { path: line.a, baudRate: 19200 },
      tickMs: 1_000_000,
      seed: 5,
      units: [
        { unitId: 1, def: meter },
        { unitId: 2, def: sensor },
      ],
    });
    await sim.start();
    cleanup.push(() => sim.stop());
    sim.set(1, 'voltageA', 228.5);

    // Independent master first, while the line is free.
    const { stdout } = await run(
      'mbpoll',
      [
        '-m',
        'rtu',
        '-b',
        '19200',
        '-P',
        'none',
        '-a',
        '1',
        '-t',
        '3:float',
        '-B',
        '-r',
        '0',
        '-c',
        '1',
        '-0',
        '-1',
        line.b,
      ],
      { timeout: 10_000 },
    );
    expect(stdout).toMatch(/\[0\]:\s+228\.5/);

    const events: EventDraft[] = [];
    const buses = new BusManager();
    const ctx = {
      emit: async (d: EventDraft) => void events.push(d),
      log: { info: () => {}, warn: () => {} },
      buses,
      lines: new LineManager(),
    };
    const rtu = (unitId: number) => ({
      kind: 'modbus-rtu' as const,
      path: line.b,
      baudRate: 19200,
      parity: 'none' as const,
      dataBits: 8 as const,
      stopBits: 1 as const,
      unitId,
    });
    const devices: DeviceHandle[] = [
      createDevice(meter, { id: 'meter-01', type: meter.type, pollMs: 200, timeoutMs: 300, transport: rtu(1) }, ctx),
      createDevice(sensor, { id: 'safety-01', type: sensor.type, pollMs: 200, timeoutMs: 300, transport: rtu(2) }, ctx),
      // Declared but never installed: it must go offline without starving the others.
      createDevice(meter, { id: 'meter-99', type: meter.type, pollMs: 200, timeoutMs: 300, transport: rtu(9) }, ctx),
    ];
    for (const d of devices) d.start();
    cleanup.push(async () => {
      for (const d of devices) await d.stop();
    });
    expect(buses.keys()).toEqual([`rtu://${line.b}`]);

    await until(
      () => events.some((e) => e.kind === 'device.offline' && e.deviceId === 'meter-99') || null,
      'the missing unit to go offline',
      20_000,
    );
    sim.set(2, 'gas', 1);
    await until(() => events.some((e) => e.kind === 'gas.alarm') || null, 'the gas alarm over RTU', 20_000);
    const readings = events.filter((e) => e.kind === 'meter.reading' && e.deviceId === 'meter-01');
    expect(readings.length).toBeGreaterThan(1);
    const first = readings[0]!;
    if (first.kind !== 'meter.reading') throw new Error('unreachable');
    expect(first.payload.values.voltageA).toBeCloseTo(228.5, 3);
    expect(events.filter((e) => e.kind === 'device.offline').map((e) => e.deviceId)).toEqual(['meter-99']);
    expect(devices.map((d) => d.online())).toEqual([true, true, false]);
  });
});
