import { createServer, type Server } from 'node:net';
import type { EventDraft } from '@linli/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { BusManager } from '../../src/bus/bus-manager.js';
import { decodeReply, encodePoll } from '../../src/callbox/codec.js';
import { createDevice } from '../../src/device.js';
import { LineManager } from '../../src/line/line-manager.js';
import { builtinRegistry } from '../../src/registry.js';

const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'ascii'));

describe('call box codec (golden bytes)', () => {
  it('encodes a poll and decodes idle and pressed replies', () => {
    expect([...encodePoll(7)]).toEqual([0x3f, 0x30, 0x37, 0x0d]); // "?07\r"
    expect(decodeReply(ascii('!071\r'))).toEqual({ ok: true, value: { address: 7, pressed: true }, consumed: 5 });
    expect(decodeReply(ascii('!420\r'))).toEqual({ ok: true, value: { address: 42, pressed: false }, consumed: 5 });
  });

  it('waits for a partial reply and skips noise, never reading past its input', () => {
    expect(decodeReply(ascii('!07'))).toEqual({ ok: false, error: { kind: 'incomplete', needAtLeast: 5 } });
    expect(decodeReply(ascii('xx!071\r'))).toMatchObject({ ok: false, error: { kind: 'invalid', skip: 2 } });
    expect(decodeReply(ascii('xyz'))).toMatchObject({ ok: false, error: { kind: 'invalid', skip: 3 } });
    expect(decodeReply(ascii('!0a1\r'))).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(decodeReply(ascii('!072\r'))).toMatchObject({ ok: false, error: { kind: 'invalid' } });
    expect(decodeReply(ascii('!071\n'))).toMatchObject({ ok: false, error: { kind: 'invalid' } });
  });
});

/** A serial server with call boxes behind it: answers polls, latches presses until read. */
function callBoxLine(addresses: number[]): Promise<{ server: Server; port: number; press(a: number): void }> {
  const latched = new Set<number>();
  const server = createServer((sock) => {
    let rx = '';
    sock.on('data', (b) => {
      rx += b.toString('ascii');
      for (let m = /\?(\d\d)\r/.exec(rx); m; m = /\?(\d\d)\r/.exec(rx)) {
        rx = rx.slice(m.index + m[0].length);
        const a = Number(m[1]);
        if (!addresses.includes(a)) continue; // no box at that address: silence
        sock.write(`!${m[1]}${latched.delete(a) ? 1 : 0}\r`);
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({ server, port, press: (a) => void latched.add(a) });
    }),
  );
}

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

describe('callbox-button over a serial server on loopback', () => {
  it('raises sos.call once per press, from the box that was pressed', async () => {
    const line = await callBoxLine([3, 4]);
    cleanup.push(() => new Promise((r) => line.server.close(() => r())));
    const def = await builtinRegistry().get('callbox-button');
    const events: EventDraft[] = [];
    const ctx = {
      emit: async (d: EventDraft) => void events.push(d),
      log: { info: () => {}, warn: () => {} },
      buses: new BusManager(),
      lines: new LineManager(),
    };
    const devices = [3, 4].map((address) =>
      createDevice(
        def,
        {
          id: `call-0${address}`,
          type: def.type,
          pollMs: 50,
          timeoutMs: 1000,
          transport: { kind: 'callbox', address, line: { kind: 'tcp', host: '127.0.0.1', port: line.port } },
        },
        ctx,
      ),
    );
    for (const d of devices) d.start();
    cleanup.push(async () => void (await Promise.all(devices.map((d) => d.stop()))));
    await until(() => devices.every((d) => d.online() === true), 'both boxes online');
    const sos = () => events.filter((e) => e.kind === 'sos.call');
    expect(sos()).toEqual([]);

    line.press(4);
    await until(() => sos().length === 1, 'the first press');
    expect(sos()[0]!.deviceId).toBe('call-04');
    // The latch is cleared by the read: the next polls see the key up, and a new press is a new call.
    await until(() => devices[1]!.latest()?.pressed === 0, 'the key up again');
    line.press(4);
    await until(() => sos().length === 2, 'the second press');
    expect(sos().map((e) => e.deviceId)).toEqual(['call-04', 'call-04']);
  });

  it('is refused at load on a transport its protocol does not take', async () => {
    const def = await builtinRegistry().get('callbox-button');
    const ctx = {
      emit: async () => {},
      log: { info: () => {}, warn: () => {} },
      buses: new BusManager(),
      lines: new LineManager(),
    };
    expect(() =>
      createDevice(
        def,
        {
          id: 'call-01',
          type: def.type,
          pollMs: 50,
          timeoutMs: 100,
          transport: { kind: 'modbus-tcp', host: '127.0.0.1', port: 502, unitId: 1 },
        },
        ctx,
      ),
    ).toThrow(/speaks callbox, but its transport is modbus-tcp/);
  });
});
