// One gateway process polling 1,000 energy meters on 50 Modbus TCP buses
// (50 simulator processes × 20 units) every 5 s: its RSS against its own RSS
// before the devices started, its CPU against one core, and polls/s against
// the configured 200/s, all measured in this run.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as drivers from '../drivers/dist/index.js';
import { report } from './lib.mjs';

const { BusManager, builtinRegistry, createDevice } = drivers;

const BUSES = 50;
const UNITS_PER_BUS = 20;
const POLL_MS = 5000;
const TIMEOUT_MS = 2000;
const WARMUP_MS = POLL_MS + 1000; // the start-up burst and one full round
const RUN_MS = 30_000;
const SIM_CLI = fileURLToPath(new URL('../drivers/dist/sim/cli.js', import.meta.url));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const mb = (bytes) => bytes / 2 ** 20;
const settleHeap = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await sleep(50);
  }
};

/** Distinct free ports: all held open at once so the kernel cannot hand out one twice. */
async function freePorts(n) {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise((resolve, reject) => {
          const s = createServer().listen(0, '127.0.0.1', () => resolve(s));
          s.on('error', reject);
        }),
    ),
  );
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** One `linli-sim` process; resolves once it prints its ready line. The IPC channel ends it if we die. */
function startSimulator(port) {
  const units = Array.from({ length: UNITS_PER_BUS }, (_, i) => ['--unit', `${i + 1}=energy-meter-3p`]).flat();
  const child = spawn(process.execPath, [SIM_CLI, '--port', String(port), '--seed', String(port), ...units], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator on port ${port} not ready within 60 s`)), 60_000);
    child.once('exit', (code) => reject(new Error(`simulator on port ${port} exited (${code}) before ready`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('{"ready":true')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, ready };
}

async function stopSimulator(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

const def = await builtinRegistry().get('energy-meter-3p');
const ports = await freePorts(BUSES);
const sims = [];
let devices = [];
try {
  const t0 = performance.now();
  for (const port of ports) sims.push(startSimulator(port));
  await Promise.all(sims.map((s) => s.ready));
  console.error(
    `  ${BUSES} simulators × ${UNITS_PER_BUS} units ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const buses = new BusManager();
  const pollTimes = new Map(); // deviceId → times of its readings inside the window
  let windowOpen = false;
  let warnings = 0;
  const ctx = {
    async emit(d) {
      if (windowOpen && d.kind === 'meter.reading') pollTimes.get(d.deviceId).push(performance.now());
    },
    log: { info() {}, warn: () => void warnings++ },
    buses,
    ...(drivers.LineManager ? { lines: new drivers.LineManager() } : {}),
  };
  const configs = [];
  for (const [b, port] of ports.entries())
    for (let u = 1; u <= UNITS_PER_BUS; u++) {
      const id = `meter-${String(b).padStart(2, '0')}-${String(u).padStart(2, '0')}`;
      pollTimes.set(id, []);
      configs.push({
        id,
        type: def.type,
        pollMs: POLL_MS,
        timeoutMs: TIMEOUT_MS,
        transport: { kind: 'modbus-tcp', host: '127.0.0.1', port, unitId: u },
      });
    }

  await settleHeap();
  const { rss: rssBefore, heapUsed: heapBefore } = process.memoryUsage();
  devices = configs.map((cfg) => createDevice(def, cfg, ctx));
  for (const d of devices) d.start();
  if (buses.keys().length !== BUSES) throw new Error(`expected ${BUSES} buses, got ${buses.keys().length}`);

  await sleep(WARMUP_MS);
  await settleHeap();
  const heapAtStart = process.memoryUsage().heapUsed;
  windowOpen = true;
  let rssPeak = 0;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 1000);
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  await sleep(RUN_MS);
  const wallMicros = (performance.now() - w0) * 1000;
  const cpu = process.cpuUsage(cpu0);
  windowOpen = false;
  clearInterval(sampler);
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  const cpuPercent = ((cpu.user + cpu.system) / wallMicros) * 100;
  await settleHeap();
  const after = process.memoryUsage();

  // Σ over devices of (polls − 1) / (last − first): the steady rate, free of window edges.
  let achieved = 0;
  for (const t of pollTimes.values()) if (t.length > 1) achieved += (t.length - 1) / ((t.at(-1) - t[0]) / 1000);
  const counts = [...pollTimes.values()].map((t) => t.length);
  const polls = counts.reduce((a, b) => a + b, 0);
  const configured = (BUSES * UNITS_PER_BUS) / (POLL_MS / 1000);
  const online = devices.filter((d) => d.online() === true).length;
  console.error(
    `  ${devices.length} devices: ${polls} readings in ${(RUN_MS / 1000).toFixed(0)} s, ` +
      `steady ${achieved.toFixed(1)} polls/s; per device min ${Math.min(...counts)} max ${Math.max(...counts)}; ` +
      `${online} online, ${warnings} warnings; RSS ${mb(rssBefore).toFixed(1)} → peak ${mb(rssPeak).toFixed(1)} MiB ` +
      `(${((rssPeak - rssBefore) / 1024 / devices.length).toFixed(1)} KiB/device); CPU ${cpuPercent.toFixed(1)} % ` +
      `(user ${(cpu.user / 1000).toFixed(0)} ms, system ${(cpu.system / 1000).toFixed(0)} ms)`,
  );
  console.error(
    `  after a full GC with the devices still running: RSS ${mb(after.rss).toFixed(1)} MiB, ` +
      `heap used ${mb(heapBefore).toFixed(1)} → ${mb(after.heapUsed).toFixed(1)} MiB ` +
      `(${((after.heapUsed - heapBefore) / 1024 / devices.length).toFixed(1)} KiB/device retained); ` +
      `growth over the window ${mb(after.heapUsed - heapAtStart).toFixed(1)} MiB ` +
      `= ${((after.heapUsed - heapAtStart) / polls).toFixed(0)} B retained per poll`,
  );

  report(
    'drivers.many_devices.rss',
    mb(rssPeak),
    'MiB',
    mb(rssBefore),
    `RSS of this process before the ${devices.length} devices started (drivers loaded, heap settled)`,
  );
  report('drivers.many_devices.cpu', cpuPercent, '% of one core', 100, 'one core (100 %)');
  report(
    'drivers.many_devices.polls_per_s',
    achieved,
    'polls/s',
    configured,
    `configured rate: ${devices.length} devices / ${POLL_MS / 1000} s on ${BUSES} buses`,
  );
} finally {
  for (const d of devices) await d.stop();
  await Promise.all(sims.map((s) => stopSimulator(s.child)));
}
