// A city at real scale imported into a real hub through the admin REST API, as the
// admin page does it: 10 districts, 150 streets, 1,500 communities, 15,000 grids,
// 19,500 facilities and 252 road lines (geo's realisticCity, written as GeoJSON in
// GCJ-02 by writeSyntheticCity): upload the three files, start the import (stored as a
// version, validated on the hub's worker thread), poll its progress to the end. On
// SQLite, then PostgreSQL (a fresh database) when the server answers.
// Each run is its own child process (a hub in it, as `linli-hub serve` runs one), so its
// CPU time and peak RSS are its own. Limits, measured in the same run:
//   time:   CPU (user + system) of geo's importCity alone on the same files and options,
//           in its own child process; so the ratio is what the hub adds (upload, worker,
//           copying the draft back, storing 15,000 areas, homes, facilities) over geo's
//           read + validate. CPU, not wall: wall time on the shared machine varies with load.
//   memory: the same hub's RSS when idle (started, admin logged in, before the upload).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importCity, realisticCity, writeSyntheticCity } from '../geo/dist/index.js';
import { report } from './lib.mjs';
import { freshDatabase } from './support/pg-bench.mjs';

/** The properties the synthetic city's files use (fullCover aside: the admin page does not set it). */
const MAPPING = { code: 'code', name: 'name', level: 'level', parent: 'parent' };
const CRS = 'GCJ02';
const files = (dir) =>
  JSON.parse(readFileSync(join(dir, 'files.json'), 'utf8')).map((f) => ({
    ...f,
    data: new Uint8Array(readFileSync(join(dir, f.name))),
  }));
const cpuMs = (c0) => {
  const u = process.cpuUsage(c0);
  return (u.user + u.system) / 1000;
};

/** Child `geo`: geo's importCity alone, as the hub's worker calls it. */
async function geoChild(dir) {
  const input = files(dir);
  const c0 = process.cpuUsage();
  const r = await importCity(input, { mapping: MAPPING, crs: CRS, partial: true });
  if (!r.report.ok) throw new Error(`the synthetic city failed validation: ${r.report.summary.join('; ')}`);
  console.log(JSON.stringify({ cpuMs: cpuMs(c0), areas: r.areas.length }));
}

/** Child `hub`: a hub on SQLite (or the given PostgreSQL), an admin, the import through REST. */
async function hubChild(dir, database) {
  const { Hub, createLogger, openHubStore } = await import('../dashboard/dist/index.js');
  const { totpCode } = await import('../dashboard/dist/auth/totp.js');
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-hub-city-bench-'));
  const store = await openHubStore(database ? { dataDir, database } : { dataDir });
  const hub = new Hub({ host: '127.0.0.1', port: 0, store, dataDir, log: createLogger('hub', 'warn') });
  const { port } = await hub.start();
  const url = `http://127.0.0.1:${port}`;
  try {
    const a = await hub.auth.createAccount(
      { username: 'bench.admin', displayName: '压测管理员', role: 'admin', areaCode: '349900' },
      'bench',
      Date.now(),
    );
    const json = async (path, init) => {
      const res = await fetch(url + path, init);
      const body = await res.json();
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
      return body;
    };
    const post = (path, body, token) =>
      json(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    const { token } = await post('/api/login', {
      username: 'bench.admin',
      password: a.password,
      ...(a.totpSecret ? { totp: totpCode(a.totpSecret, Date.now()) } : {}),
    });
    const idleRssKb = process.memoryUsage().rss / 1024;
    const c0 = process.cpuUsage();
    const t0 = Date.now();
    const uploads = [];
    for (const f of files(dir)) {
      const r = await json('/api/city/uploads', {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'x-filename': encodeURIComponent(f.name) },
        body: f.data,
      });
      uploads.push(r.upload);
    }
    console.error(`    ${((Date.now() - t0) / 1000).toFixed(1)} s  uploaded ${uploads.length} files`);
    const { job: id } = await post('/api/city/imports', { uploads, name: '合成市', mapping: MAPPING, crs: CRS }, token);
    let job;
    let last = '';
    for (;;) {
      job = (await json(`/api/city/imports/${id}`, { headers: { authorization: `Bearer ${token}` } })).job;
      const step = job.progress ? `${job.progress.label} ${job.progress.done}/${job.progress.total}` : job.state;
      if (step !== last) console.error(`    ${((Date.now() - t0) / 1000).toFixed(1)} s  ${step}`);
      last = step;
      if (job.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (job.state !== 'done' || !job.report.ok || !job.versionId)
      throw new Error(`the import did not store a valid city: ${JSON.stringify(job).slice(0, 2000)}`);
    console.log(
      JSON.stringify({
        cpuMs: cpuMs(c0),
        wallMs: Date.now() - t0,
        idleRssKb,
        peakRssKb: process.resourceUsage().maxRSS,
        grids: job.report.counts.grid,
      }),
    );
  } finally {
    await hub.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function run(args) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LINLI_LOG_LEVEL: 'warn' },
  });
  if (r.status !== 0) throw new Error(`${args[0]} child exited with ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

if (process.argv[2] === '--child') {
  const [mode, dir, database] = process.argv.slice(3);
  await (mode === 'geo' ? geoChild(dir) : hubChild(dir, database));
  process.exit(0);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'linli-hub-city-files-'));
  try {
    const written = await writeSyntheticCity(realisticCity(), 'geojson', { crs: CRS });
    for (const f of written) writeFileSync(join(dir, f.name), f.data);
    writeFileSync(join(dir, 'files.json'), JSON.stringify(written.map((f) => ({ name: f.name, role: f.role }))));
    const geo = run(['geo', dir]);
    console.error(`  geo importCity alone: ${geo.cpuMs.toFixed(0)} ms CPU, ${geo.areas} areas`);
    const targets = [['sqlite', undefined]];
    let pg = null;
    try {
      pg = await freshDatabase();
      targets.push(['postgres', pg.url]);
    } catch (e) {
      console.error(`  PostgreSQL not reachable, SQLite only: ${e.message}`);
    }
    try {
      for (const [dialect, database] of targets) {
        console.error(`  ${dialect}: importing through the hub's REST API`);
        const hub = run(['hub', dir, ...(database ? [database] : [])]);
        console.error(
          `  ${dialect}: ${hub.cpuMs.toFixed(0)} ms CPU (${hub.wallMs} ms wall), RSS idle ${(hub.idleRssKb / 1024).toFixed(0)} MB, peak ${(hub.peakRssKb / 1024).toFixed(0)} MB; ${hub.grids} grids`,
        );
        report(
          `hub.city_import.${dialect}_15000_grids_cpu_ms`,
          hub.cpuMs,
          'ms',
          geo.cpuMs,
          "geo's importCity alone on the same files and options (read + convert + validate), own process, same run",
        );
        report(
          `hub.city_import.${dialect}_15000_grids_peak_rss_mb`,
          hub.peakRssKb / 1024,
          'MB',
          hub.idleRssKb / 1024,
          'the same hub idle (started, admin logged in, before the upload), same run',
        );
      }
    } finally {
      await pg?.drop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
