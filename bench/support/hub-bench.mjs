// Shared parts of the hub benchmarks: server child processes that are always
// cleaned up, RSS readings from /proc, demo-city areas, and valid events.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createIdFactory } from '../../contract/dist/index.js';
import { meterDraft } from '../lib.mjs';
import { pointInGrid } from './city-points.mjs';
import { prng } from './cockpit-bench.mjs';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const hubCli = `${root}dashboard/dist/cli.js`;

// Every child this benchmark starts is killed when it ends, however it ends:
// an orphaned hub would hold its port and keep a core busy for other agents.
const children = new Set();
const killAll = () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
};
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'])
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
process.on('uncaughtException', (err) => {
  console.error(err);
  process.exit(1);
});
process.on('unhandledRejection', (err) => {
  console.error(err);
  process.exit(1);
});

/**
 * Starts a Node server script that prints a JSON line with `"ready":true` and
 * its `port` on stdout (the hub CLI and the bare relay both do).
 */
export function startServer(args, env = {}) {
  // BENCH_SERVER_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to see where the server spends its time.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, ...args], {
    // The IPC channel makes the hub (and the relay) exit if this process dies without cleaning up.
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, LINLI_LOG_LEVEL: 'warn', ...env },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    let buf = '';
    const onExit = (code) => reject(new Error(`${args.join(' ')} exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.stdout.on('data', (d) => {
      buf += d;
      const line = buf.split('\n').find((l) => l.includes('"ready"'));
      if (!line) return;
      child.off('exit', onExit);
      child.stdout.removeAllListeners('data');
      // The hub logs warnings and errors as JSON lines on stdout: pass them on.
      child.stdout.on('data', (more) => process.stderr.write(`  [server] ${more}`));
      resolve({ child, port: JSON.parse(line).port });
    });
  });
}

/** Stops a server with SIGTERM (SIGKILL after 10 s) and waits for it. */
export async function stopServer(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

/** Resident set size of a process in MiB (VmRSS), or NaN once it is gone. */
export function rssMiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Samples a process's RSS every `ms`; `peak` and `last` in MiB. */
export function rssSampler(pid, ms = 250) {
  const s = { peak: 0, last: 0, stop: () => clearInterval(t) };
  const t = setInterval(() => {
    const v = rssMiB(pid);
    if (Number.isFinite(v)) {
      s.last = v;
      s.peak = Math.max(s.peak, v);
    }
  }, ms);
  return s;
}

/** The demo city's areas by level, from the same file the hub loads. */
export function demoCity() {
  const city = JSON.parse(readFileSync(`${root}geo/data/demo-city.json`, 'utf8'));
  const by = { city: [], district: [], street: [], community: [], grid: [] };
  for (const a of city.areas) by[a.level].push(a.code);
  return by;
}

/** Grids of one community. */
export const gridsOf = (areas, community) => areas.grid.filter((g) => g.startsWith(community));

/**
 * One gateway's event source: valid meter readings with ULIDs, `seq` from 1,
 * spread round-robin over the given grids, each at a point inside its grid's
 * polygon (support/city-points.mjs). `receivedAt` is the send time.
 */
export function eventSource(gatewayId, grids) {
  const nextId = createIdFactory();
  const random = prng([...gatewayId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
  let seq = 0;
  return (now = Date.now()) => {
    seq++;
    const d = meterDraft(seq);
    return {
      v: 1,
      id: nextId(now),
      gatewayId,
      seq,
      deviceId: d.deviceId,
      kind: d.kind,
      severity: 'info',
      deviceTime: d.deviceTime,
      receivedAt: now,
      location: pointInGrid(grids[seq % grids.length], random),
      payload: d.payload,
    };
  };
}

/** The p-th percentile (0..1) of a sorted numeric array. */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
