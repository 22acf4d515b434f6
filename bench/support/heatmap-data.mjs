// Event history for the heatmap benchmark, built once into a hub data folder
// and reused by later runs (the machine is shared: a 10M-event load is never
// repeated). Events come from devices at fixed positions spread over real
// grids: the demo city's, or the 15,000-grid synthetic city geo's import
// benchmark uses. Rows are written straight into the hub's `events` table,
// then counted into the roll-ups by the hub's own backfill (rebuildRollups,
// what migration 016 runs on an existing database); the property test
// (dashboard/test/cockpit/rollups.property.test.ts) holds ingest and backfill
// to the same counts.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { rebuildRollups, SqliteDb } from '../../dashboard/dist/index.js';
import { loadDemoCity, pointInRing, syntheticCity } from '../../geo/dist/index.js';
import { validators } from '../../contract/dist/index.js';
import { heatCellOf } from './city-points.mjs';
import { payloadOf, prepareHub, prng } from './cockpit-bench.mjs';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/**
 * Bump when the generated data changes shape, so stale caches are rebuilt (2: quarter and week roll-ups; 3: ends at
 * 15:20; 4: valid events, with payloads and ULIDs, as the contract checks them).
 */
const VERSION = 4;

/** The latest 15:20 China Standard Time at or before `ms`. */
export function afternoonBefore(ms) {
  const cstDay = Math.floor((ms + 8 * HOUR) / DAY) * DAY - 8 * HOUR;
  const at = cstDay + 15 * HOUR + 20 * 60_000;
  return at <= ms ? at : at - DAY;
}
export const CACHE = process.env.LINLI_BENCH_CACHE ?? join(tmpdir(), 'linli-bench-cache');

/** Device types in a grid, with what each reports (no alarm kinds: history must not open alerts). */
const TYPES = [
  { prefix: 'meter', kind: 'meter.reading', weight: 4 },
  { prefix: 'gate', kind: 'gate.pass', weight: 3 },
  { prefix: 'lift', kind: 'elevator.status', weight: 2 },
  { prefix: 'cam', kind: 'camera.motion', weight: 1 },
];

/** The grids (code, ring) of a city: 'demo', 'synthetic' (15,000 grids), or a list of areas (e.g. geo's realisticCity). */
function cityGrids(city) {
  if (Array.isArray(city)) return city.filter((a) => a.level === 'grid' && a.ring);
  const tree = city === 'demo' ? loadDemoCity() : syntheticCity({ grids: 15_000 });
  return tree.areas.filter((a) => a.level === 'grid' && a.ring);
}

/** `perGrid` devices per grid at seeded points inside its ring, cycling through the device types. */
export function devicesOf(city, perGrid) {
  const r = prng(7);
  const out = [];
  for (const g of cityGrids(city)) {
    const xs = g.ring.map((p) => p[0]);
    const ys = g.ring.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    for (let i = 0; i < perGrid; i++) {
      let lng;
      let lat;
      do {
        lng = Math.round((x0 + (x1 - x0) * r()) * 1e6) / 1e6;
        lat = Math.round((y0 + (y1 - y0) * r()) * 1e6) / 1e6;
      } while (!pointInRing(lng, lat, g.ring));
      const type = TYPES[i % TYPES.length];
      out.push({
        id: `${type.prefix}-${String(i).padStart(2, '0')}`,
        kind: type.kind,
        weight: type.weight,
        lng,
        lat,
        gridId: g.code,
      });
    }
  }
  return out;
}

// The scan's cell of a position: nearest 3-decimal value, exact decimal rounding on an edge (as toFixed).
const cellKey = (d) => heatCellOf(d.lng, d.lat);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * ULIDs (time, then 80 random bits) from a seeded `random`: the contract's id
 * format, at a fraction of ulidx's cost (it draws from crypto for every
 * character, 40% of the time it took to write a city's history).
 */
function ulidOf(random) {
  return (t) => {
    let id = '';
    for (let i = 9, v = t; i >= 0; i--, v = Math.floor(v / 32)) id = CROCKFORD[v % 32] + id;
    for (let i = 0; i < 16; i++) id += CROCKFORD[Math.floor(random() * 32)];
    return id;
  };
}

/**
 * Writes events from `devices` (weighted: meters report more than cameras) into
 * the hub's `events` table, phase by phase: `n` events evenly over
 * [start, start + span). One gateway per community (`gw-<community>`), sequences
 * continuing in `gateways.last_seq`; then the hub's own backfill counts them into
 * the roll-ups. Progress goes to stderr under `name`.
 */
export async function writeDeviceEvents(dbFile, devices, phases, name) {
  const r = prng(11);
  const cumulative = [];
  let sum = 0;
  for (const d of devices) cumulative.push((sum += d.weight));
  const pick = () => {
    const x = r() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] <= x) lo = mid + 1;
      else hi = mid;
    }
    return devices[lo];
  };
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const insert = db.prepare(
    `INSERT INTO events (gateway_id, seq, id, kind, severity, device_id, grid_id, received_at, stored_at, body, lng, lat)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const seqs = new Map();
  const nextId = ulidOf(prng(12));
  const write = db.transaction((from, n, start, step) => {
    for (let i = from; i < from + n; i++) {
      const t = Math.floor(start + i * step);
      const d = pick();
      const gw = `gw-${d.gridId.slice(0, 12)}`;
      const seq = (seqs.get(gw) ?? 0) + 1;
      seqs.set(gw, seq);
      const severity = d.kind === 'camera.motion' ? 'notice' : 'info';
      const e = {
        v: 1,
        id: nextId(t),
        gatewayId: gw,
        seq,
        deviceId: d.id,
        kind: d.kind,
        severity,
        deviceTime: t - 200,
        receivedAt: t,
        location: { lng: d.lng, lat: d.lat, gridId: d.gridId },
        payload: payloadOf(d.kind, r),
      };
      // The cockpit is sent the latest of these and drops what fails the contract: every one must pass.
      if (i % 10_000 === 0) {
        const c = validators.event.check(e);
        if (!c.ok) throw new Error(`generated an invalid event: ${JSON.stringify(c.issues)}`);
      }
      insert.run(gw, seq, e.id, d.kind, severity, d.id, d.gridId, t, t, JSON.stringify(e), d.lng, d.lat);
    }
  });
  const BATCH = 50_000;
  let done = 0;
  for (const p of phases) {
    const step = p.span / Math.max(1, p.n);
    for (let i = 0; i < p.n; i += BATCH) {
      write(i, Math.min(BATCH, p.n - i), p.start, step);
      done += Math.min(BATCH, p.n - i);
      if (done % 1_000_000 < BATCH) process.stderr.write(`  ${name}: ${done} events written\n`);
    }
  }
  const setSeq = db.prepare('UPDATE gateways SET last_seq = ? WHERE id = ?');
  for (const [id, seq] of seqs) setSeq.run(seq, id);
  db.close();
  const sqlite = new SqliteDb(dbFile);
  let shown = 0;
  try {
    await rebuildRollups(sqlite, (p) => {
      if (p.events === p.total || p.events - shown >= 1_000_000) {
        shown = p.events;
        process.stderr.write(`  ${name}: roll-ups counted ${p.events} of ${p.total}\n`);
      }
    });
  } finally {
    await sqlite.close();
  }
}

/**
 * A hub data folder holding `spec.events` events from `spec.city`'s devices:
 * `spec.lastDay` of them in the last 24 hours before `end`, the rest spread
 * evenly over the `spec.days - 1` days before. Built on first use; returns
 * { dir, end, devices, cells (distinct device cells), windowEvents }.
 */
export async function heatmapData(spec) {
  const name = `${spec.city}-${spec.events}-${spec.days}d-v${VERSION}`;
  const dir = join(CACHE, name);
  const meta = join(dir, 'bench-meta.json');
  if (existsSync(meta)) {
    process.stderr.write(`  ${name}: reusing ${dir}\n`);
    return { dir, ...JSON.parse(readFileSync(meta, 'utf8')) };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const t0 = performance.now();
  const devices = devicesOf(spec.city, spec.perGrid);
  const communities = [...new Set(devices.map((d) => d.gridId.slice(0, 12)))];
  await prepareHub(dir, communities);
  // The data ends at 15:20 China Standard Time (the latest one before now): a wall looking at the afternoon,
  // whose 25 hours are a few hours and quarter days. An end a little after midnight, wherever the build
  // happened to run, made the 24-hour figure one day's bucket and one hour's: the best case (70 ms against
  // 160-300 ms at other hours, on the same data).
  const end = afternoonBefore(Date.now());
  const older = spec.events - spec.lastDay;
  await writeDeviceEvents(
    join(dir, 'hub.sqlite'),
    devices,
    [
      { n: older, start: end - spec.days * DAY, span: (spec.days - 1) * DAY },
      { n: spec.lastDay, start: end - DAY, span: DAY - 60_000 },
    ],
    name,
  );
  const info = {
    end,
    events: spec.events,
    devices: devices.length,
    cells: new Set(devices.map(cellKey)).size,
    buildSeconds: Math.round((performance.now() - t0) / 1000),
  };
  writeFileSync(meta, JSON.stringify(info));
  process.stderr.write(`  ${name}: built in ${info.buildSeconds} s\n`);
  return { dir, ...info };
}
