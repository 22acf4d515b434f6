import jsmodbus from 'jsmodbus';
import { describe, expect, it } from 'vitest';
import { of, poll, startJsmodbus, until } from './jsmodbus-server.js';

/**
 * Cross-check of our Modbus TCP driver against an independent server: jsmodbus
 * (Cloud-Automation/node-modbus), not the modbus-serial library our driver and
 * simulator are both built on. Register contents are written byte by byte with
 * Buffer's own writers, never with our encodePoint, so a shared mistake in
 * encode and decode (word order, sign) cannot cancel out.
 */
describe('Modbus TCP driver against jsmodbus (an independent server implementation)', () => {
  it('decodes float32 meter registers, an elevator status and a discrete-input alarm as written', async () => {
    // energy-meter-3p: float32, high word first, at the addresses of its definition.
    const meter = {
      voltageA: [0x0000, 230.1],
      voltageB: [0x0002, 229.75],
      voltageC: [0x0004, 231.4],
      currentA: [0x0006, 12.3],
      currentB: [0x0008, 0.0625],
      currentC: [0x000a, 48.7],
      energyTotal: [0x0156, 123_456.79],
    } as const;
    const input = Buffer.alloc(2 * 0x200);
    for (const [address, value] of Object.values(meter)) input.writeFloatBE(value, 2 * address);

    // elevator-monitor: one register each from holding 0; a car two floors below ground, going down,
    // door closed, running, fault 0x0031 (stopped outside the door zone).
    const holding = Buffer.alloc(2 * 16);
    holding.writeInt16BE(-2, 0);
    holding.writeUInt16BE(2, 2);
    holding.writeUInt16BE(0, 4);
    holding.writeUInt16BE(1, 6);
    holding.writeUInt16BE(0x0031, 8);

    // di-safety-sensor: discrete inputs 0–3, all quiet at first; coil 0 (siren relay) on.
    const discrete = Buffer.alloc(2);
    const coils = Buffer.from([0b0000_0001, 0]);

    const { port } = await startJsmodbus({ input, holding, discrete, coils });
    const { events, handles, buses } = await poll(port, [
      { id: 'meter-01', type: 'energy-meter-3p', unitId: 1 },
      { id: 'lift-01', type: 'elevator-monitor', unitId: 2 },
      { id: 'safety-01', type: 'di-safety-sensor', unitId: 3 },
    ]);
    expect(buses.keys()).toEqual([`tcp://127.0.0.1:${port}`]);

    const reading = await until(() => of(events, 'meter.reading', 'meter-01')[0], 'a meter reading');
    const expected = Object.fromEntries(Object.entries(meter).map(([name, [, v]]) => [name, Math.fround(v)]));
    expect(reading.payload).toEqual({
      medium: 'electricity',
      values: expected,
      units: {
        voltageA: 'V',
        voltageB: 'V',
        voltageC: 'V',
        currentA: 'A',
        currentB: 'A',
        currentC: 'A',
        energyTotal: 'kWh',
      },
    });

    const status = await until(() => of(events, 'elevator.status', 'lift-01')[0], 'an elevator status');
    expect(status.payload).toEqual({ floor: -2, direction: 'down', door: 'closed', running: true, faultCode: 0x31 });
    const fault = await until(() => of(events, 'elevator.fault', 'lift-01')[0], 'an elevator fault');
    expect(fault.payload).toEqual({ faultCode: 0x31 });

    // The car arrives at floor 3 and opens its door; the fault clears.
    holding.writeInt16BE(3, 0);
    holding.writeUInt16BE(0, 2);
    holding.writeUInt16BE(1, 4);
    holding.writeUInt16BE(0, 6);
    holding.writeUInt16BE(0, 8);
    const arrived = await until(() => of(events, 'elevator.status', 'lift-01')[1], 'a second elevator status');
    expect(arrived.payload).toEqual({ floor: 3, direction: 'stopped', door: 'open', running: false, faultCode: 0 });

    await until(() => handles.find((h) => h.id === 'safety-01')?.latest() ?? undefined, 'a safety sensor poll');
    expect(of(events, 'smoke.alarm', 'safety-01')).toEqual([]);
    discrete.writeUInt8(0b0000_0001, 0); // discrete input 0 (smoke) is the least significant bit of the first byte
    const smoke = await until(() => of(events, 'smoke.alarm', 'safety-01')[0], 'a smoke alarm');
    expect(smoke).toMatchObject({ severity: 'critical', payload: { active: true } });
    discrete.writeUInt8(0b0000_0010, 0); // smoke clears, gas rises
    const cleared = await until(() => of(events, 'smoke.alarm', 'safety-01')[1], 'the smoke alarm clearing');
    expect(cleared).toMatchObject({ severity: 'notice', payload: { active: false } });
    expect(of(events, 'gas.alarm', 'safety-01')[0]).toMatchObject({ payload: { active: true } });

    expect(events.filter((e) => e.kind === 'device.offline')).toEqual([]);
  }, 20_000);

  it('declares a device offline when jsmodbus answers exception 02 (illegal data address)', async () => {
    // A meter whose register map ends before total energy (0x0156): reads inside the map are answered
    // from it, reads beyond it with jsmodbus's own exception response, as a real meter of that kind does.
    const map = Buffer.alloc(2 * 12);
    for (let a = 0; a < 12; a += 2) map.writeFloatBE(220 + a, 2 * a);
    const { responses, ModbusTCPResponse, requests } = jsmodbus;
    let exceptions = 0;
    const { port } = await startJsmodbus(
      { input: undefined, holding: Buffer.alloc(16), discrete: Buffer.alloc(2) },
      {
        readInputRegisters: (request, reply) => {
          const req = request as Parameters<typeof ModbusTCPResponse.fromRequest>[0];
          if (!requests.isReadInputRegistersRequestBody(req.body)) throw new Error('unexpected request');
          if (2 * (req.body.start + req.body.count) <= map.length) {
            const body = responses.ReadInputRegistersResponseBody.fromRequest(req.body, map);
            return reply(ModbusTCPResponse.fromRequest(req, body).createPayload());
          }
          exceptions++;
          const body = new responses.ExceptionResponseBody(req.body.fc, 0x02);
          reply(ModbusTCPResponse.fromRequest(req, body).createPayload());
        },
      },
    );
    const { events, handles, warnings } = await poll(port, [{ id: 'meter-02', type: 'energy-meter-3p', unitId: 1 }]);

    const offline = await until(() => of(events, 'device.offline', 'meter-02')[0], 'the meter going offline');
    expect(offline.payload.reason).toMatch(/exception 2\b.*illegal data address/i);
    expect(exceptions).toBeGreaterThanOrEqual(3);
    expect(handles[0]!.online()).toBe(false);
    expect(warnings).toContain('device offline');
    // A poll that fails on one block publishes nothing from the blocks that did answer.
    expect(of(events, 'meter.reading', 'meter-02')).toEqual([]);
    expect(of(events, 'device.online', 'meter-02')).toEqual([]);
  }, 20_000);

  it('declares a device offline when jsmodbus answers a read past its table with fewer registers', async () => {
    // Plain buffer mode: input registers 0–11 only, so the read of 0x0156 gets a short (empty) reply.
    const input = Buffer.alloc(2 * 12);
    const { port } = await startJsmodbus({ input, holding: Buffer.alloc(16), discrete: Buffer.alloc(2) });
    const { events, handles } = await poll(port, [{ id: 'meter-03', type: 'energy-meter-3p', unitId: 1 }]);

    const offline = await until(() => of(events, 'device.offline', 'meter-03')[0], 'the meter going offline');
    expect(offline.payload.reason).toMatch(/data length error/i);
    expect(handles[0]!.online()).toBe(false);
    expect(of(events, 'meter.reading', 'meter-03')).toEqual([]);
  }, 20_000);
});
