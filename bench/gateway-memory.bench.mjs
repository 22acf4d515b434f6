// Gateway memory through an outage: the real gateway process (Controller from
// a config file) idle, buffering a backlog of N events with the hub down,
// replaying it to a hub process, and after the drain. RSS is read from
// /proc/<pid>/status of the gateway process every 200 ms; no gc is forced.
// Limits, measured in the same run: the idle RSS plus the budget the docs
// promise (+25 MiB buffering, +5 MiB replaying), and the idle RSS plus the same
// small slack after the drain (memory is given back).
// The gateway runs with the Node flags it is deployed with (--optimize-for-size;
// BENCH_GATEWAY_NODE_ARGS to change them). Without it V8 kept +40 MiB after the drain.
// Slow: LINLI_BENCH_MEMORY_N (default 1,000,000) takes minutes on a loaded box.
import { execFileSync, fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { report } from './lib.mjs';
import { hubEventCount } from './support/raw-limit.mjs';

const N = Number(process.env.LINLI_BENCH_MEMORY_N ?? 1_000_000);
const BUFFERING_BUDGET_MIB = 25;
/** Replaying churns V8's young generation (up to 2 × 16 MiB semi-spaces) on top of what buffering holds. */
const REPLAY_BUDGET_MIB = 5;
/** How long the gateway is watched once a phase ends, for what it keeps. */
const SETTLE_MS = Number(process.env.LINLI_BENCH_MEMORY_SETTLE_MS ?? 30_000);
const GW = 'gw-341302001001';
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'linli-memory-'));
const mib = (kb) => kb / 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });

// The hub's identity for this gateway first; the hub itself starts only after the backlog is buffered.
const hubData = join(dir, 'hub');
const hubCli = join(root, 'dashboard/dist/cli.js');
const token = execFileSync(
  process.execPath,
  [hubCli, 'gateway', 'add', '--data', hubData, '--id', GW, '--area', '341302001001'],
  {
    encoding: 'utf8',
  },
).trim();
const port = await freePort();
mkdirSync(join(dir, 'gw'));
writeFileSync(join(dir, 'gw', 'gateway.token'), token, { mode: 0o600 });
writeFileSync(
  join(dir, 'gw', 'gateway.yaml'),
  `version: 1
gateway: { id: ${GW}, community: "341302001001", location: { lng: 117.012, lat: 33.662, gridId: "341302001001001" } }
dataDir: ./state
hub: { url: "http://127.0.0.1:${port}", tokenFile: ./gateway.token }
devices: []
`,
);

const gw = fork(join(root, 'bench/support/gateway-process.mjs'), [join(dir, 'gw', 'gateway.yaml')], {
  // As the gateway is run (gateway/bin/linli-gateway.js, deploy/systemd/linli-gateway.service).
  execArgv: (process.env.BENCH_GATEWAY_NODE_ARGS ?? '--optimize-for-size').split(' ').filter(Boolean),
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  env: { ...process.env, LINLI_LOG_LEVEL: 'warn' },
});
const messages = [];
const waiters = [];
gw.on('message', (m) => {
  messages.push(m);
  for (const w of waiters.splice(0)) w();
});
const next = async (pred) => {
  for (;;) {
    const i = messages.findIndex(pred);
    if (i >= 0) return messages.splice(i, 1)[0];
    await new Promise((r) => waiters.push(r));
  }
};
const rssKb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${gw.pid}/status`, 'utf8'))?.[1] ?? 0);
/** Samples RSS until `done()` says stop; returns the peak and the last sample. */
async function watch(done, label) {
  let peak = 0;
  let last = 0;
  while (!(await done())) {
    last = rssKb();
    peak = Math.max(peak, last);
    process.stderr.write(`\r  ${label}: RSS ${mib(last).toFixed(1)} MiB (peak ${mib(peak).toFixed(1)})   `);
    await sleep(200);
  }
  process.stderr.write('\n');
  return { peak, last };
}
/** The gateway's own view of its memory now and at the phase's peak, printed so a regression shows where to look. */
const breakdown = async (label) => {
  gw.send({ mem: true });
  const { mem, peak } = await next((m) => 'mem' in m);
  const f = (b) => (b / 1048576).toFixed(1);
  const line = (m) =>
    `rss ${f(m.rss)} · heap ${f(m.heapUsed)}/${f(m.heapTotal)} · external ${f(m.external)} · arrayBuffers ${f(m.arrayBuffers)} MiB`;
  process.stderr.write(`  ${label}: peak ${line(peak)}\n  ${label}: now  ${line(mem)}\n`);
};
const settle = async (label) => {
  const end = Date.now() + SETTLE_MS;
  const r = await watch(async () => Date.now() > end, label);
  await breakdown(label);
  return r;
};
const depth = async () => {
  gw.send({ depth: true });
  return (await next((m) => 'depth' in m)).depth;
};

await next((m) => m.ready);
// 1. Idle: started, hub unreachable, nothing buffered.
const idle = await settle('idle');
// 2. Buffering N events with the hub down.
gw.send({ produce: N });
let produced = false;
void next((m) => m.done).then(() => (produced = true));
const b0 = Date.now();
const buffering = await watch(async () => produced, `buffering ${N}`);
const bufferSec = (Date.now() - b0) / 1000;
await breakdown('buffering');
const backlog = await settle('backlog held');
// 3. The hub comes up; replay until the buffer is empty.
const hub = spawn(process.execPath, [hubCli, 'serve', '--data', hubData, '--port', String(port)], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, LINLI_LOG_LEVEL: 'warn' },
});
await new Promise((res) => hub.stdout.on('data', (d) => String(d).includes('"ready"') && res()));
// Timed from the first delivery: the uplink's reconnect back-off is not replay.
let t0 = 0;
const replay = await watch(async () => {
  const d = await depth();
  if (!t0 && d < N) t0 = Date.now();
  return d === 0;
}, 'replaying');
const replaySec = (Date.now() - t0) / 1000;
await breakdown('replaying');
// 4. After the drain: what the process keeps.
const drained = await settle('drained');

gw.send({ stop: true });
await new Promise((r) => gw.once('exit', r));
hub.kill('SIGTERM');
await new Promise((r) => hub.once('exit', r));
// A replay the hub refused (or lost) measures nothing: every event must be stored, or evicted by the
// gateway's byte limit (buffer.maxBytes, 512 MiB: 1M events outgrow it) and counted lost at the hub.
const { stored, lost } = hubEventCount(join(hubData, 'hub.sqlite'));
rmSync(dir, { recursive: true, force: true });
if (stored + lost !== N || stored < N / 2)
  throw new Error(`the hub stored ${stored} of the ${N} replayed events and counted ${lost} evicted`);
process.stderr.write(`  hub: ${stored} stored, ${lost} evicted by the gateway's byte limit (counted lost)\n`);

const base = mib(idle.last);
report('gateway.process_rss.idle_mb', base, 'MiB', base, 'the same figure (reference for the others)');
report(
  'gateway.process_rss.buffering_peak_mb',
  mib(buffering.peak),
  'MiB',
  base + BUFFERING_BUDGET_MIB,
  `idle RSS + ${BUFFERING_BUDGET_MIB} MiB (documented budget) while buffering ${N} events in ${bufferSec.toFixed(0)} s, hub down`,
  { at_most: 1 },
);
report(
  'gateway.process_rss.backlog_held_mb',
  mib(backlog.last),
  'MiB',
  base + BUFFERING_BUDGET_MIB,
  `idle RSS + ${BUFFERING_BUDGET_MIB} MiB, ${SETTLE_MS / 1000} s after buffering ${N} events`,
  { at_most: 1 },
);
report(
  'gateway.process_rss.replay_peak_mb',
  mib(replay.peak),
  'MiB',
  base + BUFFERING_BUDGET_MIB + REPLAY_BUDGET_MIB,
  `idle RSS + ${BUFFERING_BUDGET_MIB} + ${REPLAY_BUDGET_MIB} MiB while replaying ${N} events in ${replaySec.toFixed(0)} s`,
  { at_most: 1 },
);
report(
  'gateway.process_rss.after_drain_mb',
  mib(drained.last),
  'MiB',
  base + REPLAY_BUDGET_MIB,
  `idle RSS + ${REPLAY_BUDGET_MIB} MiB, ${SETTLE_MS / 1000} s after the buffer emptied`,
  { at_most: 1 },
);
