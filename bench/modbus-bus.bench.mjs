// One shared Modbus TCP link (one simulator, 32 energy meters as units 1–32,
// one BusManager bus) polled by 32 devices at 1 s: polls/s, CPU per
// transaction and change-to-event latency, each against a limit measured on
// the same link in the same run by one client reading back to back.
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import * as drivers from '../drivers/dist/index.js';
import { report } from './lib.mjs';

const { BusManager, ModbusSimulator, builtinRegistry, createDevice, decodePoint, planReads } = drivers;

const UNITS = 32;
const POLL_MS = 1000;
const TIMEOUT_MS = 1000;
const SATURATION_S = 4;
const WARMUP_MS = 1500;
const RUN_MS = 15_000;
const LATENCY_MS = 20_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cpuMicros = (since) => {
  const u = process.cpuUsage(since);
  return u.user + u.system;
};
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** The simulator needs a real port (it treats 0 as "unset"), so ask the kernel for one and hand it back. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Σ over devices of (polls − 1) / (last − first): the steady rate, free of the start-up burst and window edges. */
function steadyRate(times) {
  let rate = 0;
  for (const t of times.values()) if (t.length > 1) rate += (t.length - 1) / ((t.at(-1) - t[0]) / 1000);
  return rate;
}

const def = await builtinRegistry().get('energy-meter-3p');
const port = await freePort();
// No model ticks during the run: registers change only when this benchmark sets them.
const sim = new ModbusSimulator({
  host: '127.0.0.1',
  port,
  units: Array.from({ length: UNITS }, (_, i) => ({ unitId: i + 1, def })),
  tickMs: 3_600_000,
  seed: 7,
});
await sim.start();
const transport = (unitId) => ({ kind: 'modbus-tcp', host: '127.0.0.1', port, unitId });

// 1. The link's saturation: one client, back to back, the devices' own read plan, through the same bus code.
const blocks = planReads(def.points);
const requestsPerPoll = blocks.length;
const readPlan = async (client) => {
  const values = {};
  for (const b of blocks) {
    const { data } = await client.readInputRegisters(b.start, b.count);
    for (const p of b.points) values[p.name] = decodePoint(p, data, p.address - b.start);
  }
  return values;
};
const satBuses = new BusManager();
const satBus = satBuses.acquire(transport(1));
for (let i = 0; i < 200; i++) await satBus.transact((i % UNITS) + 1, TIMEOUT_MS, readPlan); // connect and warm up
let satCount = 0;
const satCpu0 = process.cpuUsage();
const satT0 = performance.now();
while (performance.now() - satT0 < SATURATION_S * 1000) {
  await satBus.transact((satCount % UNITS) + 1, TIMEOUT_MS, readPlan);
  satCount++;
}
const satSeconds = (performance.now() - satT0) / 1000;
const satCpuPerTxn = cpuMicros(satCpu0) / satCount;
const saturation = satCount / satSeconds;
await satBuses.release(satBus);
console.error(
  `  back-to-back: ${Math.round(saturation)} txn/s (${requestsPerPoll} requests each), ${satCpuPerTxn.toFixed(0)} µs CPU/txn`,
);

// 1b. What the bus gives 32 devices that all want it at once (pollMs 1, so each always has a poll queued):
// the capacity the devices share, against the one-client figure above.
const busyBuses = new BusManager();
const busyCounts = new Map();
let busyCounting = false;
const busyCtx = {
  async emit(d) {
    if (busyCounting && d.kind === 'meter.reading') busyCounts.set(d.deviceId, (busyCounts.get(d.deviceId) ?? 0) + 1);
  },
  log: { info() {}, warn() {} },
  buses: busyBuses,
  ...(drivers.LineManager ? { lines: new drivers.LineManager() } : {}),
};
const busy = Array.from({ length: UNITS }, (_, i) =>
  createDevice(
    def,
    { id: `busy-${i + 1}`, type: def.type, pollMs: 1, timeoutMs: TIMEOUT_MS, transport: transport(i + 1) },
    busyCtx,
  ),
);
for (const d of busy) d.start();
await sleep(500);
busyCounting = true;
const busyT0 = performance.now();
await sleep(SATURATION_S * 1000);
busyCounting = false;
const busyPolls = [...busyCounts.values()];
const contended = busyPolls.reduce((a, b) => a + b, 0) / ((performance.now() - busyT0) / 1000);
for (const d of busy) await d.stop();
console.error(
  `  ${UNITS} devices always queued: ${Math.round(contended)} polls/s; ` +
    `per device min ${Math.min(...busyPolls)} max ${Math.max(...busyPolls)} (${busyPolls.length} served)`,
);

// 2. 32 devices on the one bus at 1 s, with register changes at random times.
const buses = new BusManager();
const pollTimes = new Map(); // deviceId → times of its readings inside the window
const pending = new Map(); // unitId → { value, at }
const latencies = [];
let windowOpen = false;
let failures = 0;
let marker = 0;
const unitOf = (id) => Number(id.slice('meter-'.length));
const ctx = {
  async emit(d) {
    if (d.kind !== 'meter.reading') return;
    const now = performance.now();
    if (windowOpen) pollTimes.get(d.deviceId).push(now);
    const p = pending.get(unitOf(d.deviceId));
    if (p && d.payload.values.voltageA === p.value) {
      latencies.push(now - p.at);
      pending.delete(unitOf(d.deviceId));
    }
  },
  log: { info() {}, warn: () => void failures++ },
  buses,
  ...(drivers.LineManager ? { lines: new drivers.LineManager() } : {}),
};
const devices = [];
for (let u = 1; u <= UNITS; u++) {
  const id = `meter-${String(u).padStart(2, '0')}`;
  pollTimes.set(id, []);
  devices.push(
    createDevice(def, { id, type: def.type, pollMs: POLL_MS, timeoutMs: TIMEOUT_MS, transport: transport(u) }, ctx),
  );
}
for (const d of devices) d.start();
if (buses.keys().length !== 1) throw new Error(`expected one bus, got ${buses.keys().join(', ')}`);

await sleep(WARMUP_MS);
// 2a. Rate and CPU, with nothing else running in the process.
windowOpen = true;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
await sleep(RUN_MS);
windowOpen = false;
const runSeconds = (performance.now() - t0) / 1000;
const cpu = cpuMicros(cpu0);

// 2b. Change-to-event latency. Each unit's register changes once per 2.5 s slot, at a uniformly
// random moment of the slot's first half, on a clock unrelated to the poll loop: the phase against
// the poll is uniform, and a change is always read before the next one (1.25 s > one period).
// Markers are multiples of 1/4, exact in float32, so the reading that carries one is unambiguous.
const SLOT_MS = 2500;
let superseded = 0;
const t1 = performance.now();
for (let u = 1; u <= UNITS; u++) {
  const offset = Math.random() * SLOT_MS;
  for (let at = offset; at + SLOT_MS / 2 < LATENCY_MS; at += SLOT_MS) {
    const due = at + Math.random() * (SLOT_MS / 2);
    setTimeout(() => {
      if (pending.has(u)) superseded++;
      const value = 300 + (marker++ % 2000) * 0.25;
      pending.set(u, { value, at: performance.now() });
      sim.set(u, 'voltageA', value);
    }, due);
  }
}
await sleep(LATENCY_MS - (performance.now() - t1) + 2 * POLL_MS);
for (const d of devices) await d.stop();
await sim.stop();

const counts = [...pollTimes.values()].map((t) => t.length);
const polls = counts.reduce((a, b) => a + b, 0);
const achieved = steadyRate(pollTimes);
const configured = UNITS / (POLL_MS / 1000);
latencies.sort((a, b) => a - b);
console.error(
  `  32 devices: ${polls} readings in ${runSeconds.toFixed(1)} s, steady ${achieved.toFixed(2)} polls/s; ` +
    `per device min ${Math.min(...counts)} max ${Math.max(...counts)}; ${failures} warnings; ` +
    `${latencies.length} changes seen (${pending.size} still pending, ${superseded} superseded), ` +
    `p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${latencies.at(-1).toFixed(0)} ms`,
);

report(
  'drivers.modbus_bus.polls_per_s',
  achieved,
  'polls/s',
  Math.min(configured, saturation),
  `min(configured ${configured} polls/s, link saturation ${Math.round(saturation)} polls/s by one back-to-back client, same simulator and read plan)`,
);
report(
  'drivers.modbus_bus.contended_capacity',
  contended,
  'polls/s',
  saturation,
  `link saturation by one back-to-back client (same simulator, read plan and bus code); ${UNITS} devices always queued`,
);
// At 32 polls/s the process sleeps between transactions, and every wake-up of the event loop
// (device timer, reply, the simulator's own per-request timer) costs CPU that a back-to-back loop
// amortises; the ratio shows that overhead, not slower decoding.
report(
  'drivers.modbus_bus.cpu_per_transaction',
  cpu / polls,
  'µs',
  satCpuPerTxn,
  `CPU per transaction of one back-to-back client on the same link (${requestsPerPoll} requests/txn, simulator in-process in both)`,
);
report(
  'drivers.modbus_bus.change_to_event_latency_p50',
  percentile(latencies, 50),
  'ms',
  POLL_MS,
  `poll interval (${POLL_MS} ms): a change waits at most one period plus the transaction; ${latencies.length} changes`,
);
report(
  'drivers.modbus_bus.change_to_event_latency_p99',
  percentile(latencies, 99),
  'ms',
  POLL_MS,
  `poll interval (${POLL_MS} ms): a change waits at most one period plus the transaction; ${latencies.length} changes`,
);
