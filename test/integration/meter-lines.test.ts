import type { EventDraft } from '@linli/contract';
import {
  BusManager,
  builtinRegistry,
  createDevice,
  type DeviceHandle,
  HalfDuplexLine,
  LineManager,
  MeterLineSimulator,
  readCjt188Address,
  readDlt645Address,
} from '@linli/drivers';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, until } from '../helpers/processes.js';
import { serialPair } from '../helpers/socat.js';

/**
 * DL/T 645-2007 and CJ/T 188 meters on real lines: the simulated meters speak
 * the frames our codecs build, over a socat serial pair (RS-485 at 2400 8E1)
 * and over TCP as through a transparent serial server.
 */
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function harness() {
  const events: EventDraft[] = [];
  const ctx = {
    emit: async (d: EventDraft) => void events.push(d),
    log: { info: () => {}, warn: () => {} },
    buses: new BusManager(),
    lines: new LineManager(),
  };
  const devices: DeviceHandle[] = [];
  cleanup.push(async () => {
    for (const d of devices) await d.stop();
  });
  return { events, ctx, devices };
}

describe('meter lines', () => {
  it('polls two DL/T 645 meters sharing one serial line; a meter that is not there goes offline without starving them', async () => {
    const pair = await serialPair();
    cleanup.push(() => pair.stop());
    const sim = new MeterLineSimulator({
      protocol: 'dlt645',
      serial: { path: pair.a, baudRate: 2400, parity: 'even' },
      meters: [{ address: '000000000001' }, { address: '000000000002' }],
      tickMs: 1_000_000,
    });
    await sim.start();
    cleanup.push(() => sim.stop());
    sim.set('000000000001', { energyTotal: 12345.67, voltageA: 221.3 });
    sim.set('000000000002', { energyTotal: 765.43, currentA: -1.25 });

    const def = await builtinRegistry().get('dlt645-meter');
    const { events, ctx, devices } = harness();
    const line = {
      kind: 'serial' as const,
      path: pair.b,
      baudRate: 2400,
      parity: 'even' as const,
      dataBits: 8 as const,
      stopBits: 1 as const,
    };
    for (const [id, address] of [
      ['em-01', '000000000001'],
      ['em-02', '000000000002'],
      ['em-99', '000000000099'],
    ] as const) {
      const d = createDevice(
        def,
        { id, type: def.type, pollMs: 300, timeoutMs: 400, transport: { kind: 'dlt645', address, line } },
        ctx,
      );
      d.start();
      devices.push(d);
    }
    await until(
      () => events.some((e) => e.kind === 'device.offline' && e.deviceId === 'em-99') || null,
      'the absent meter to go offline',
      30_000,
    );
    const reading = (id: string) => {
      const e = events.find((x) => x.kind === 'meter.reading' && x.deviceId === id);
      return e?.kind === 'meter.reading' ? e.payload : undefined;
    };
    expect(reading('em-01')).toMatchObject({
      medium: 'electricity',
      values: { energyTotal: 12345.67, voltageA: 221.3 },
      units: { energyTotal: 'kWh', voltageA: 'V' },
    });
    expect(reading('em-02')?.values.currentA).toBe(-1.25);
    expect(devices.map((d) => d.online())).toEqual([true, true, false]);
  });

  it('reads CJ/T 188 water meters through a serial server over TCP and raises meter.inactive for the quiet one being watched', async () => {
    const port = await freePort();
    const sim = new MeterLineSimulator({
      protocol: 'cjt188',
      tcp: { host: '127.0.0.1', port },
      meters: [{ address: '12345678901234', quiet: true }, { address: '12345678901235' }],
      tickMs: 200,
    });
    await sim.start();
    cleanup.push(() => sim.stop());
    sim.set('12345678901235', { cumulativeFlow: 321.45, valveClosed: true });

    const def = await builtinRegistry().get('cjt188-water-meter');
    const { events, ctx, devices } = harness();
    const line = { kind: 'tcp' as const, host: '127.0.0.1', port };
    // A lone elder's meter, watched with a very short quiet time so the test sees the alert.
    devices.push(
      createDevice(
        def,
        {
          id: 'wm-elder',
          type: def.type,
          pollMs: 200,
          timeoutMs: 500,
          transport: { kind: 'cjt188', address: '12345678901234', line },
          options: { inactivityHours: 0.0005 },
        },
        ctx,
      ),
    );
    devices.push(
      createDevice(
        def,
        {
          id: 'wm-02',
          type: def.type,
          pollMs: 200,
          timeoutMs: 500,
          transport: { kind: 'cjt188', address: '12345678901235', line },
        },
        ctx,
      ),
    );
    for (const d of devices) d.start();

    const inactive = await until(() => events.find((e) => e.kind === 'meter.inactive'), 'meter.inactive', 20_000);
    expect(inactive).toMatchObject({ deviceId: 'wm-elder', payload: { medium: 'water' } });
    const r = events.find((e) => e.kind === 'meter.reading' && e.deviceId === 'wm-02');
    expect(r?.kind === 'meter.reading' && r.payload.values).toMatchObject({
      cumulativeFlow: 321.45,
      valveClosed: 1,
      batteryLow: 0,
    });
    expect(events.filter((e) => e.kind === 'meter.inactive').map((e) => e.deviceId)).toEqual(['wm-elder']);
  });

  it('reads the address of the single meter on a line by broadcast, for both protocols', async () => {
    for (const [protocol, address] of [
      ['dlt645', '201811230042'],
      ['cjt188', '20181123004217'],
    ] as const) {
      const pair = await serialPair();
      cleanup.push(() => pair.stop());
      const sim = new MeterLineSimulator({
        protocol,
        serial: { path: pair.a, baudRate: 2400, parity: 'even' },
        meters: [{ address }],
        tickMs: 1_000_000,
      });
      await sim.start();
      cleanup.push(() => sim.stop());
      const line = new HalfDuplexLine(
        { kind: 'serial', path: pair.b, baudRate: 2400, parity: 'even', dataBits: 8, stopBits: 1 },
        512,
      );
      cleanup.push(() => line.close());
      const found =
        protocol === 'dlt645' ? await readDlt645Address(line, 2000) : (await readCjt188Address(line, 2000)).address;
      expect(found).toBe(address);
    }
  });
});
