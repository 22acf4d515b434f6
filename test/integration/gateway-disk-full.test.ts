import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statfsSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinRegistry, type ModbusDefinition, ModbusSimulator } from '@linli/drivers';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubRecord } from '../helpers/hub-db.js';
import {
  freePort,
  GATEWAY_CLI,
  HUB_CLI,
  hubCli,
  node,
  type Proc,
  ready,
  until,
  untilAsync,
} from '../helpers/processes.js';

/**
 * The whole gateway (`linli-gateway run`: flows, the alarm log, media, the
 * buffer) with its data folder on a real 12 MiB tmpfs that fills up during an
 * alarm storm while the hub is unreachable. It must stay up (same pid), refuse
 * no alarm while telemetry or reclaimable files remain, count every refusal
 * and eviction exactly at the hub, and recover fully once space is freed.
 */
const GW = 'gw-341302001001';
const METERS = 8;
const SENSORS = 24;
const GRID = '341302001001001';
let mnt: string;
let work: string;
let hubPort: number;
let httpPort: number;
let hub: Proc | null = null;
let gateway: Proc;
let meters: ModbusSimulator;
let sensors: ModbusSimulator;
let metersStopped = false;
let storming = false;
let storm: Promise<void> = Promise.resolve();

interface Health {
  buffer: {
    depth: number;
    telemetry: number;
    lastSeq: number;
    evictedTelemetry: number;
    refusedAlarms: number;
    refusedTelemetry: number;
    diskFull: boolean;
  };
  uplink: string;
  flowsVersion: string | null;
  process: { escapedErrors: number };
}
const health = async (): Promise<Health> =>
  (
    await fetch(`http://127.0.0.1:${httpPort}/healthz`, { signal: AbortSignal.timeout(5000) })
  ).json() as Promise<Health>;
const logLines = (): Record<string, unknown>[] =>
  gateway
    .out()
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
const hubEvents = (kind: string): Record<string, unknown>[] => {
  const db = new Database(join(work, 'hub', 'hub.sqlite'), { readonly: true });
  try {
    return (
      db.prepare('SELECT body FROM events WHERE gateway_id = ? AND kind = ?').all(GW, kind) as { body: string }[]
    ).map((r) => (JSON.parse(r.body) as { payload: Record<string, unknown> }).payload);
  } finally {
    db.close();
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One-key buttons pressed and released over and over on every sensor module: a storm of real Modbus alarms. */
async function runStorm(): Promise<void> {
  while (storming) {
    for (let u = 1; u <= SENSORS; u++) sensors.set(u, 'sosButton', 1);
    await sleep(150);
    for (let u = 1; u <= SENSORS; u++) sensors.set(u, 'sosButton', 0);
    await sleep(150);
  }
}

/** Fills the filesystem with a file of our own, leaving `leave` bytes free. */
function fill(file: string, leave: number): void {
  const fs = statfsSync(mnt);
  const size = fs.bavail * fs.bsize - leave;
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(256 * 1024, 7);
  try {
    for (let left = size; left > 0; left -= chunk.length) writeSync(fd, chunk, 0, Math.min(chunk.length, left));
  } finally {
    closeSync(fd);
  }
}

beforeAll(async () => {
  if (process.getuid?.() !== 0) throw new Error('this test mounts a small tmpfs and must run as root (CI does)');
  work = mkdtempSync(join(tmpdir(), 'linli-diskfull-'));
  mnt = join(work, 'mnt');
  mkdirSync(mnt);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', mnt]);
  [hubPort, httpPort] = [await freePort(), await freePort()];
  const token = hubCli(join(work, 'hub'), ['gateway', 'add', '--id', GW, '--area', '341302001001']);
  const registry = builtinRegistry();
  const meterDef = (await registry.get('energy-meter-3p')) as ModbusDefinition;
  const sensorDef = (await registry.get('di-safety-sensor')) as ModbusDefinition;
  const [meterPort, sensorPort] = [await freePort(), await freePort()];
  meters = new ModbusSimulator({
    host: '127.0.0.1',
    port: meterPort,
    seed: 3,
    units: Array.from({ length: METERS }, (_, i) => ({ unitId: i + 1, def: meterDef })),
  });
  sensors = new ModbusSimulator({
    host: '127.0.0.1',
    port: sensorPort,
    seed: 4,
    units: Array.from({ length: SENSORS }, (_, i) => ({ unitId: i + 1, def: sensorDef })),
  });
  await meters.start();
  await sensors.start();
  // Hold the modules' own alarm clock still: the storm below presses and releases the buttons itself.
  for (let u = 1; u <= SENSORS; u++) sensors.set(u, 'clock', -1e12);
  const state = join(mnt, 'state');
  // Pictures from earlier alarms: reclaimable, and given back before any alarm is refused.
  mkdirSync(join(state, 'media'), { recursive: true, mode: 0o700 });
  for (let i = 0; i < 4; i++)
    writeFileSync(join(state, 'media', `${Date.now() - 1000 + i}-cam-01.jpg`), Buffer.alloc(96 * 1024, i));
  writeFileSync(join(work, 'gateway.token'), token, { mode: 0o600 });
  const device = (id: string, type: string, port: number, unit: number) => `  - id: ${id}
    type: ${type}
    pollMs: 100
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: ${port}, unitId: ${unit} }
    location: { lng: 117.012, lat: 33.661, gridId: "${GRID}" }
`;
  writeFileSync(
    join(work, 'gateway.yaml'),
    `version: 1
gateway:
  id: ${GW}
  community: "341302001001"
  location: { lng: 117.012, lat: 33.661, gridId: "${GRID}" }
dataDir: ${state}
hub:
  url: http://127.0.0.1:${hubPort}
  tokenFile: ./gateway.token
buffer: { synchronous: normal, ballastBytes: 2097152 }
http: { host: 127.0.0.1, port: ${httpPort} }
flows:
  rollbackWindowMs: 1500
devices:
${Array.from({ length: METERS }, (_, i) => device(`meter-${i + 1}`, 'energy-meter-3p', meterPort, i + 1)).join('')}${Array.from(
      { length: SENSORS },
      (_, i) => device(`sos-${i + 1}`, 'di-safety-sensor', sensorPort, i + 1),
    ).join('')}`,
  );
  gateway = node(GATEWAY_CLI, ['run', '-c', join(work, 'gateway.yaml')], { env: { LINLI_LOG_LEVEL: 'info' } });
  await untilAsync(async () => (await health()).flowsVersion, 'the gateway with its flows running', 90_000);
}, 120_000);

afterAll(async () => {
  storming = false;
  await storm;
  await gateway?.stop();
  await hub?.stop();
  if (!metersStopped) await meters?.stop();
  await sensors?.stop();
  try {
    execFileSync('umount', [mnt]);
  } catch {}
  rmSync(work, { recursive: true, force: true });
});

describe('the whole gateway on a disk that fills during an alarm storm', () => {
  it('stays up, gives up telemetry and old pictures before any alarm, counts exactly, and recovers fully', async () => {
    const pid = gateway.child.pid;
    const filler = join(mnt, 'filler.bin');
    fill(filler, 1024 * 1024);
    storming = true;
    storm = runStorm();

    // Phase 1: the disk fills while meters keep reporting. Telemetry is evicted; nothing is refused.
    const full = await untilAsync(
      async () => {
        const h = await health();
        return h.buffer.diskFull && h.buffer.evictedTelemetry > 0 ? h : null;
      },
      'the disk to fill and telemetry to be evicted',
      180_000,
    );
    expect(full.buffer.refusedAlarms).toBe(0);
    expect(full.buffer.refusedTelemetry).toBe(0);
    expect(full.buffer.telemetry).toBeGreaterThan(0);

    // Phase 2: the meters go silent, so only alarms arrive. Alarms are refused only once no telemetry
    // is left in the buffer and the old pictures have been given back.
    await meters.stop();
    metersStopped = true;
    const refusing = await untilAsync(
      async () => {
        const h = await health();
        return h.buffer.refusedAlarms > 0 ? h : null;
      },
      'alarms to be refused once nothing else is left',
      240_000,
    );
    expect(refusing.buffer.diskFull).toBe(true);
    expect(readdirSync(join(mnt, 'state', 'media')).filter((n) => n.endsWith('.jpg'))).toEqual([]);
    const refusals = logLines().filter((l) => l.msg === 'BUFFER FULL: alarms refused');
    expect(refusals.length).toBeGreaterThan(0);
    for (const r of refusals) expect(r.telemetryInBuffer).toBe(0);
    // A little longer in that state, so the counts have something to be exact about.
    await untilAsync(async () => (await health()).buffer.refusedAlarms >= 50, 'fifty refused alarms', 120_000);
    storming = false;
    await storm;

    // Phase 3: space is freed and the hub comes back. The full state clears by itself and everything drains.
    rmSync(filler);
    await untilAsync(async () => !(await health()).buffer.diskFull, 'the disk-full state to clear', 60_000);
    hub = node(HUB_CLI, ['serve', '--data', join(work, 'hub'), '--port', String(hubPort)], {
      env: { LINLI_LOG_LEVEL: 'warn' },
    });
    await ready(hub, 'hub');
    const drained = await untilAsync(
      async () => {
        const h = await health();
        return h.uplink === 'online' && h.buffer.depth === 0 ? h : null;
      },
      'the backlog to drain',
      180_000,
    );

    // The same process all along, and nothing escaped to the process-level handler.
    expect(gateway.child.pid).toBe(pid);
    expect(gateway.child.exitCode).toBeNull();
    expect(drained.process.escapedErrors).toBe(0);
    expect(logLines().some((l) => l.msg === 'disk space is back; buffer working normally')).toBe(true);
    // The reserve came back with the space (it needs its size plus 2 MiB free, not twice its size).
    expect(logLines().some((l) => l.msg === 'reserved disk space restored')).toBe(true);
    expect(existsSync(join(mnt, 'state', 'buffer.ballast'))).toBe(true);

    // Exactly once: every sequence is at the hub or was declared evicted, none twice.
    const rec = await until(() => {
      const r = hubRecord(join(work, 'hub'), GW);
      return r.watermark === drained.buffer.lastSeq ? r : null;
    }, 'the hub watermark to reach the last sequence');
    expect(new Set(rec.rows.map((r) => r.seq)).size).toBe(rec.rows.length);
    expect(rec.rows.length + rec.lost).toBe(drained.buffer.lastSeq);
    expect(rec.lost).toBe(drained.buffer.evictedTelemetry);

    // Both transitions reached the hub.
    expect(hubEvents('gateway.disk_full').length).toBeGreaterThan(0);
    expect(hubEvents('gateway.disk_ok').length).toBeGreaterThan(0);

    // The reports add up exactly: refused alarms, refused one-key calls as the drivers saw them, evictions.
    const reports = await until(() => {
      const r = hubEvents('gateway.buffer_full');
      const sum = r.reduce((n, p) => n + (p.evictedTelemetry as number), 0);
      return sum === drained.buffer.evictedTelemetry ? r : null;
    }, 'every eviction reported at the hub');
    const total = (f: (p: Record<string, unknown>) => number) => reports.reduce((n, p) => n + f(p), 0);
    expect(total((p) => p.refusedAlarms as number)).toBe(drained.buffer.refusedAlarms);
    const sosRefusedByDrivers = logLines().filter(
      (l) => l.msg === 'event not buffered' && l.kind === 'sos.call',
    ).length;
    expect(sosRefusedByDrivers).toBeGreaterThan(0);
    expect(total((p) => (p.refusedByKind as Record<string, number> | undefined)?.['sos.call'] ?? 0)).toBe(
      sosRefusedByDrivers,
    );
    expect(reports.every((p) => p.reason === 'disk_full')).toBe(true);
  }, 900_000);
});
