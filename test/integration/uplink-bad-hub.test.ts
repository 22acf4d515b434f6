import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCATION, makeOutbox, makeUplink, meter } from '../helpers/in-process.js';
import { until } from '../helpers/processes.js';

/**
 * A hub that answers wrongly: the gateway must refuse the reply with a clear
 * log line and drop nothing from its buffer.
 */
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function fakeHub(onEvents: (batch: { events: { seq: number }[] }) => unknown) {
  const http = createServer();
  const io = new Server(http);
  let batches = 0;
  io.of('/gateway').on('connection', (socket) => {
    socket.on('hello', (_m, ack) => ack({ ok: true, lastSeq: 0, serverTime: Date.now() }));
    socket.on('status', (_m, ack) => ack({ ok: true, serverTime: Date.now() }));
    socket.on('events', (batch, ack) => {
      batches++;
      ack(onEvents(batch));
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  cleanup.push(() => new Promise<void>((r) => io.close(() => r())));
  return { url: `http://127.0.0.1:${(http.address() as { port: number }).port}`, batches: () => batches };
}

describe('uplink against a misbehaving hub', () => {
  it.each([
    ['a reply that is not the contract', () => ({ ok: 'yes', ackSeq: '10' }), /invalid batch reply/],
    [
      'an acknowledgement beyond what was sent',
      (b: { events: { seq: number }[] }) => ({ ok: true, ackSeq: b.events.at(-1)!.seq + 500 }),
      /outside the batch/,
    ],
    ['a refusal', () => ({ ok: false, error: { code: 'STORAGE', message: 'disk on fire' } }), /hub rejected a batch/],
  ])('%s: logged clearly, nothing dropped', async (_name, answer, logLine) => {
    const hub = await fakeHub(answer);
    const box = makeOutbox();
    cleanup.push(() => box.close());
    await Promise.all(Array.from({ length: 50 }, (_, i) => box.enqueue(meter(i), LOCATION)));
    const { uplink, lines } = makeUplink(box, { hubUrl: hub.url, gatewayId: 'gw-341302001001', token: 'x'.repeat(43) });
    uplink.start();
    cleanup.push(() => uplink.stop());
    await until(() => lines.some((l) => logLine.test(l)) || null, `a log line matching ${logLine}`);
    expect(hub.batches()).toBeGreaterThan(0);
    expect(box.stats().depth).toBe(50);
  });
});
