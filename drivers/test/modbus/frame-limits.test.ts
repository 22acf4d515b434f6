import { createConnection, createServer, type Server } from 'node:net';
import type { EventDraft } from '@linli/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { BusManager } from '../../src/bus/bus-manager.js';
import { LineManager } from '../../src/line/line-manager.js';
import { createDevice } from '../../src/device.js';
import { builtinRegistry } from '../../src/registry.js';
import { ModbusSimulator } from '../../src/sim/modbus-sim.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as { port: number }).port;
}

async function until<T>(fn: () => T | undefined | null | false, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('Modbus TCP frame limits', () => {
  it('a reply whose MBAP length is corrupted fails at once as a framing fault, and the device recovers when replies are sane again', async () => {
    const registry = builtinRegistry();
    const def = await registry.getModbus('energy-meter-3p');
    const probe = createServer();
    const simPort = await listen(probe);
    await new Promise<void>((r) => probe.close(() => r()));
    const sim = new ModbusSimulator({
      host: '127.0.0.1',
      port: simPort,
      units: [{ unitId: 1, def }],
      tickMs: 1_000_000,
    });
    await sim.start();
    cleanup.push(() => sim.stop());

    // A line that corrupts the length field of replies while `corrupt` is set.
    let corrupt = true;
    const proxy = createServer((client) => {
      const up = createConnection({ host: '127.0.0.1', port: simPort });
      client.on('data', (d) => up.write(d));
      up.on('data', (d) => {
        const b = Buffer.from(d);
        if (corrupt && b.length >= 6) b.writeUInt16BE(0xffff, 4);
        client.write(b);
      });
      client.on('close', () => up.destroy());
      up.on('close', () => client.destroy());
      client.on('error', () => {});
      up.on('error', () => {});
    });
    const port = await listen(proxy);
    cleanup.push(() => new Promise<void>((r) => proxy.close(() => r())));

    const events: EventDraft[] = [];
    const warnings: string[] = [];
    const buses = new BusManager();
    // A long timeout: if the client waited for the 64 KiB the header claims, nothing would happen for 30 s per poll.
    const device = createDevice(
      def,
      {
        id: 'meter-01',
        type: def.type,
        pollMs: 100,
        timeoutMs: 30_000,
        transport: { kind: 'modbus-tcp', host: '127.0.0.1', port, unitId: 1 },
      },
      {
        emit: async (d) => void events.push(d),
        log: { info: () => {}, warn: (m, f) => warnings.push(`${m} ${JSON.stringify(f)}`) },
        buses,
        lines: new LineManager(),
      },
    );
    device.start();
    cleanup.push(() => device.stop());

    const offline = await until(
      () => events.find((e) => e.kind === 'device.offline'),
      'the device to go offline on framing faults',
    );
    expect(JSON.stringify(offline)).toMatch(/malformed Modbus TCP reply|MBAP length 65535|closed/i);
    expect(events.some((e) => e.kind === 'meter.reading')).toBe(false); // a garbled reply never becomes a reading

    corrupt = false;
    await until(() => events.find((e) => e.kind === 'meter.reading'), 'a reading once replies are sane');
    expect(device.online()).toBe(true);
  });
});
