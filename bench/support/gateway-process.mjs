// The gateway as its own process for the memory bench: the real Controller
// (buffer, uplink, media, devices, HTTP) from a real config file. The parent
// asks it over IPC to raise N events through the same buffer path a device's
// emit takes, and reads this process's RSS from /proc; nothing here measures itself.
import { builtinRegistry } from '../../drivers/dist/index.js';
import { Controller, createLogger, loadConfig } from '../../gateway/dist/index.js';
import { benchDevices, LOCATION, METER_IDS, meterDraft } from '../lib.mjs';

const registry = builtinRegistry();
const gw = new Controller(loadConfig(process.argv[2], registry), registry, createLogger('gateway', 'warn'));
await gw.start();
// The buffer the devices' emit writes to (a private field in TypeScript, reachable from JS).
const outbox = gw.outbox;
// The config lists no devices (real ones would poll and colour the figure), so the gateway would declare
// none and the hub would refuse every event it replays, measuring refusals. Declare the 32 meters
// meterDraft reports from, the way a config listing them would (the uplink reads it before every hello).
gw.uplink.opts.declaration = () => benchDevices(METER_IDS, [LOCATION.gridId]);

/** Like many devices at once: waves of concurrent emits, each resolved when durably buffered. */
async function produce(n) {
  const WAVE = 1000;
  for (let i = 0; i < n; i += WAVE) {
    await Promise.all(
      Array.from({ length: Math.min(WAVE, n - i) }, (_, k) => outbox.enqueue(meterDraft(i + k), LOCATION)),
    );
    if (i % 50_000 === 0) process.send({ produced: i });
  }
  process.send({ produced: n, done: true });
}

// Where the memory is at this phase's highest RSS (JS heap vs the rest: SQLite, malloc, buffers).
// process.memoryUsage() only reads counters; no gc is forced.
let peak = process.memoryUsage();
setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peak.rss) peak = m;
}, 250).unref();

process.on('message', (m) => {
  if (m.produce) void produce(m.produce);
  if (m.depth) process.send({ depth: outbox.stats().depth });
  if (m.mem) {
    process.send({ mem: process.memoryUsage(), peak });
    peak = process.memoryUsage();
  }
  if (m.stop) void gw.stop().then(() => process.exit(0));
});
process.send({ ready: true });
