import { type Server, createServer, type Socket } from 'node:net';
import type { EventDraft } from '@linli/contract';
import jsmodbus from 'jsmodbus';
import { afterEach } from 'vitest';
import type { DeviceOptions } from '../../src/definition.js';
import { BusManager } from '../../src/bus/bus-manager.js';
import { createDevice, type DeviceHandle } from '../../src/device.js';
import { LineManager } from '../../src/line/line-manager.js';
import { builtinRegistry } from '../../src/registry.js';

/**
 * A jsmodbus server (Cloud-Automation/node-modbus, not the modbus-serial library
 * our driver and simulator are built on) and our devices polling it as the
 * gateway does: the independent peer of the Modbus cross-checks.
 *
 * jsmodbus differences that shape these tests: it ignores the unit id (every
 * unit reads the same tables), and a read past the end of a table is answered
 * with fewer registers than asked, not with exception 02.
 */
export interface JsmodbusTables {
  input?: Buffer;
  holding?: Buffer;
  coils?: Buffer;
  discrete?: Buffer;
}

type ServerHandler = (request: unknown, reply: (frame: Buffer) => void) => void;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A jsmodbus TCP server on a free loopback port. A table left out is served by the matching `handlers` entry. */
export async function startJsmodbus(
  tables: JsmodbusTables,
  handlers: Record<string, ServerHandler> = {},
): Promise<{ port: number }> {
  const net: Server = createServer();
  const sockets = new Set<Socket>();
  net.on('connection', (s) => {
    sockets.add(s);
    s.on('error', () => {}); // our bus drops the line after a failed transaction; that is not the server's fault
    s.on('close', () => sockets.delete(s));
  });
  // Every table is passed, even when undefined: jsmodbus would otherwise fill it with a buffer shared by all its servers.
  const server = new jsmodbus.server.TCP(net, {
    input: tables.input,
    holding: tables.holding,
    coils: tables.coils,
    discrete: tables.discrete,
  });
  for (const [event, handler] of Object.entries(handlers)) server.on(event as 'readInputRegisters', handler);
  await new Promise<void>((resolve) => net.listen(0, '127.0.0.1', resolve));
  cleanup.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => net.close(() => resolve()));
  });
  return { port: (net.address() as { port: number }).port };
}

export async function until<T>(fn: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Polls the given devices exactly as the gateway does: one BusManager, createDevice, the builtin registry. */
export async function poll(
  port: number,
  devices: { id: string; type: string; unitId: number; options?: DeviceOptions }[],
) {
  const registry = builtinRegistry();
  const events: EventDraft[] = [];
  const warnings: string[] = [];
  const ctx = {
    emit: async (d: EventDraft) => void events.push(d),
    log: { info: () => {}, warn: (msg: string) => void warnings.push(msg) },
    buses: new BusManager(),
    lines: new LineManager(),
  };
  const handles: DeviceHandle[] = [];
  for (const d of devices) {
    const def = await registry.get(d.type);
    handles.push(
      createDevice(
        def,
        {
          id: d.id,
          type: d.type,
          pollMs: 100,
          timeoutMs: 500,
          transport: { kind: 'modbus-tcp', host: '127.0.0.1', port, unitId: d.unitId },
          ...(d.options ? { options: d.options } : {}),
        },
        ctx,
      ),
    );
  }
  for (const h of handles) h.start();
  cleanup.push(async () => {
    for (const h of handles) await h.stop();
  });
  return { events, warnings, handles, buses: ctx.buses };
}

export const of = <K extends EventDraft['kind']>(events: EventDraft[], kind: K, deviceId: string) =>
  events.filter((e): e is Extract<EventDraft, { kind: K }> => e.kind === kind && e.deviceId === deviceId);
