// Shared parts of the cockpit benchmarks: headless Chromium with SwiftShader
// (the flags of test/helpers/browser.ts), a hub data directory with a city
// operator and a wall-display link, historical events written straight into
// the hub's SQLite `events` table, valid live events from demo-city grids,
// and a GC'd JS heap reading over CDP.
// Functions passed to page.evaluate run in the browser.
/* global window */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { chromium } from 'playwright-core';
import { createIdFactory, validators } from '../../contract/dist/index.js';
import {
  hashSecret,
  hubServices,
  newSecret,
  openHubStore,
  rebuildRollups,
  SqliteDb,
} from '../../dashboard/dist/index.js';
import { loadDemoCity, ringCentroid } from '../../geo/dist/index.js';
import { heatCellOf, pointInGrid } from './city-points.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Chromium with SwiftShader WebGL, as the e2e tests launch it. */
export async function launchChromium() {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  // playwright-core kills the browsers it launched when this process exits, however it exits.
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      // A background tab's rAF is throttled; the benchmark pages are the only tab but must never be treated as hidden.
      '--disable-background-timer-throttling',
      '--disable-renderer-backgrounding',
      '--disable-backgrounding-occluded-windows',
    ],
  });
}

/** The JS heap after a full GC, in MiB (CDP: HeapProfiler.collectGarbage + Runtime.getHeapUsage). */
export async function heapMiB(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize / 1024 / 1024;
}

/** Demo-city grids with their ring and bounding box, from the file the hub loads. */
export function demoGrids() {
  return loadDemoCity()
    .areas.filter((a) => a.level === 'grid' && a.ring)
    .map((a) => {
      const xs = a.ring.map((p) => p[0]);
      const ys = a.ring.map((p) => p[1]);
      return {
        code: a.code,
        community: a.code.slice(0, 12),
        centre: ringCentroid(a.ring),
        box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
      };
    });
}

/** A small deterministic PRNG (mulberry32), so every run writes the same history. */
export function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A valid payload for an event of `kind` (gate.pass, meter.reading, elevator.status, camera.motion). */
export function payloadOf(kind, r) {
  const x = r();
  switch (kind) {
    case 'gate.pass':
      return { method: x < 0.6 ? 'card' : 'face', direction: r() < 0.5 ? 'in' : 'out' };
    case 'meter.reading':
      return {
        medium: 'electricity',
        values: { voltageA: 220.1, currentA: 8.2, energyTotal: Math.round(x * 1e6) / 10 },
        units: { voltageA: 'V', currentA: 'A', energyTotal: 'kWh' },
      };
    case 'elevator.status':
      return { floor: Math.floor(x * 30), direction: 'stopped', door: 'closed', running: false, faultCode: 0 };
    case 'camera.motion':
      return {};
    default:
      throw new Error(`no payload for ${kind}`);
  }
}

/** What community gateways report most: gate passes, meter readings, elevator status, some motion. */
function payloadFor(r) {
  const x = r();
  const [kind, deviceId] =
    x < 0.5
      ? ['gate.pass', 'gate-01']
      : x < 0.8
        ? ['meter.reading', 'meter-01']
        : x < 0.98
          ? ['elevator.status', 'lift-01']
          : ['camera.motion', 'cam-01'];
  return { kind, deviceId, payload: payloadOf(kind, r) };
}

/**
 * A source of valid events from one community gateway (`gw-<community>`),
 * at random points inside its grids' polygons.
 */
export function communityEvents(community, grids, seed) {
  const own = grids.filter((g) => g.community === community);
  const r = prng(seed);
  const nextId = createIdFactory();
  let seq = 0;
  return (receivedAt) => {
    const g = own[Math.floor(r() * own.length)];
    const location = pointInGrid(g.code, r);
    const p = payloadFor(r);
    seq++;
    return {
      v: 1,
      id: nextId(receivedAt),
      gatewayId: `gw-${community}`,
      seq,
      deviceId: `${p.deviceId}-${g.code.slice(-3)}`,
      kind: p.kind,
      severity: p.kind === 'camera.motion' ? 'notice' : 'info',
      deviceTime: receivedAt - 200,
      receivedAt,
      location,
      payload: p.payload,
    };
  };
}

/**
 * Writes `count` historical events spread over [from, to) into the hub's
 * `events` table (created by the hub's migrations, see prepareHub), in batched
 * transactions, one gateway per demo community, with their positions in the
 * lng/lat columns the heatmap reads. Every 10,000th event is checked against
 * the contract's event validator, then counted into the
 * roll-ups. Returns how many were written, over how many
 * grids, in how many distinct heat cells (what /api/heatmap must answer).
 */
export async function insertHistory(dbFile, grids, count, from, to, batch = 20_000) {
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(
    `INSERT INTO events (gateway_id, seq, id, kind, severity, device_id, grid_id, received_at, stored_at, body, lng, lat)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const communities = [...new Set(grids.map((g) => g.community))];
  const sources = communities.map((c, i) => communityEvents(c, grids, 1000 + i));
  const lastSeq = new Map();
  const cells = new Set();
  const gridsUsed = new Set();
  const step = (to - from) / count;
  const write = db.transaction((start, n) => {
    for (let i = start; i < start + n; i++) {
      const t = Math.floor(from + i * step);
      const e = sources[i % sources.length](t);
      if (i % 10_000 === 0) {
        const c = validators.event.check(e);
        if (!c.ok) throw new Error(`generated an invalid event: ${JSON.stringify(c.issues)}`);
      }
      const { lng, lat, gridId } = e.location;
      insert.run(e.gatewayId, e.seq, e.id, e.kind, e.severity, e.deviceId, gridId, t, t, JSON.stringify(e), lng, lat);
      lastSeq.set(e.gatewayId, e.seq);
      cells.add(heatCellOf(lng, lat));
      gridsUsed.add(gridId);
    }
  });
  for (let i = 0; i < count; i += batch) write(i, Math.min(batch, count - i));
  // The gateways continue after the history, as if they had sent it.
  const setSeq = db.prepare('UPDATE gateways SET last_seq = ? WHERE id = ?');
  for (const [id, seq] of lastSeq) setSeq.run(seq, id);
  db.close();
  // Written around the store: the hub's own backfill counts them into the roll-ups the heatmap reads.
  const sqlite = new SqliteDb(dbFile);
  try {
    await rebuildRollups(sqlite);
  } finally {
    await sqlite.close();
  }
  return { count, grids: gridsUsed.size, cells: cells.size };
}

/**
 * A hub data directory with a city operator and a wall-display session, and
 * one gateway per given community (`gw-<community>`). Returns the display
 * token and the gateways' tokens.
 */
export async function prepareHub(hubData, communities = []) {
  const store = await openHubStore({ dataDir: hubData });
  const { auth, auditLog } = hubServices(store, hubData);
  try {
    await auth.createAccount(
      { username: 'bench-wall', displayName: '压测大屏', role: 'city_operator', areaCode: '341300' },
      'bench',
      Date.now(),
    );
    const displayToken = await auth.issueDisplaySession('bench-wall', 1, Date.now());
    const tokens = new Map();
    for (const c of communities) {
      const token = newSecret();
      await store.upsertGateway(`gw-${c}`, hashSecret(token), c);
      tokens.set(`gw-${c}`, token);
    }
    return { displayToken, tokens };
  } finally {
    // The accounts' audit entries are queued; write them before closing.
    await auditLog.flush();
    await store.close();
  }
}

/** Opens the wall view and resolves when the page says it has drawn (state.ready); returns ms from navigation. */
export async function openWall(page, url, token, timeout = 300_000) {
  const t0 = Date.now();
  await page.goto(`${url}/wall#key=${token}`, { timeout });
  await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout, polling: 50 });
  return Date.now() - t0;
}
