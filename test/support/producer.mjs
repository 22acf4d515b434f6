// A gateway without devices: produces synthetic events into the real outbox
// and streams them with the real uplink. Used by the store-and-forward tests
// (crash, cut and replay) and benchmarks. Appends the sequence ranges that the
// outbox acknowledged ("acknowledged to the driver") to --ack-log.
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger, Outbox, Uplink } from '../../gateway/dist/index.js';

const { values: a } = parseArgs({
  options: {
    hub: { type: 'string' },
    gateway: { type: 'string' },
    'token-file': { type: 'string' },
    data: { type: 'string' },
    count: { type: 'string', default: '1000' },
    wave: { type: 'string', default: '500' },
    'pause-ms': { type: 'string', default: '0' },
    'alarm-every': { type: 'string', default: '0' },
    'ack-log': { type: 'string' },
    'reconnect-ms': { type: 'string', default: '50' },
    synchronous: { type: 'string', default: 'full' },
    'exit-when-drained': { type: 'boolean', default: false },
  },
});
const location = { lng: 117.012, lat: 33.662, gridId: '341302001001001' };
const log = createLogger(`producer:${a.gateway}`, process.env.LINLI_LOG_LEVEL ?? 'warn');
const box = new Outbox({
  file: join(a.data, 'buffer.sqlite'),
  gatewayId: a.gateway,
  synchronous: a.synchronous,
  ballastBytes: 0,
  location,
});
const uplink = new Uplink(
  box,
  {
    hubUrl: a.hub,
    gatewayId: a.gateway,
    token: readFileSync(a['token-file'], 'utf8').trim(),
    reconnectDelayMs: Number(a['reconnect-ms']),
    reconnectDelayMaxMs: Number(a['reconnect-ms']) * 4,
    ackTimeoutMs: 5000,
    statusIntervalMs: 60_000,
    // The two synthetic devices below; the hub accepts events only from declared devices.
    declaration: () => [
      { id: 'meter-01', type: 'water-meter', gridId: location.gridId },
      { id: 'sos-01', type: 'sos-button', gridId: location.gridId },
    ],
  },
  log,
);
uplink.start();

const count = Number(a.count);
const alarmEvery = Number(a['alarm-every']);
const ackFd = a['ack-log'] ? openSync(a['ack-log'], 'a') : null;
const draft = (n) =>
  alarmEvery && n % alarmEvery === 0
    ? { kind: 'sos.call', deviceId: 'sos-01', deviceTime: Date.now(), payload: { household: `H${n}` } }
    : {
        kind: 'meter.reading',
        deviceId: 'meter-01',
        deviceTime: Date.now(),
        payload: { medium: 'water', values: { n }, units: { n: 'count' } },
      };

let produced = box.stats().lastSeq;
while (produced < count) {
  const n = Math.min(Number(a.wave), count - produced);
  const events = await Promise.all(Array.from({ length: n }, (_, i) => box.enqueue(draft(produced + i + 1), location)));
  produced = events[events.length - 1].seq;
  if (ackFd !== null) writeSync(ackFd, `${events[0].seq} ${produced}\n`);
  if (Number(a['pause-ms'])) await new Promise((r) => setTimeout(r, Number(a['pause-ms'])));
}
console.log(JSON.stringify({ produced }));
for (;;) {
  if (box.stats().depth === 0) {
    console.log(JSON.stringify({ drained: true, produced }));
    if (a['exit-when-drained']) break;
  }
  await new Promise((r) => setTimeout(r, 100));
}
await uplink.stop();
box.close();
if (ackFd !== null) closeSync(ackFd);
process.exit(0);
