// Import + validation of a city at real scale — 10 districts, 150 streets, 1,500
// communities, 15,000 grids, 19,500 facilities, 252 road lines (geo's realisticCity,
// written in GCJ-02 by writeSyntheticCity) — from each format: a GeoJSON, a KML, and a
// set of GBK Shapefile zips (areas, facility points, road lines). Each run is its own child
// process, so its peak RSS (process.resourceUsage().maxRSS) and its CPU time are its own.
// Times are CPU (user + system) of the child, not wall time: on a shared 2-core machine the
// wall time of the same run varied 5× with the load of other work; CPU time did not.
// Limit, measured in the same run on the same files: a child that only reads them with
// the format's reader (readGeoJson / readKml / readShapefileZip: parse, no CRS
// conversion, mapping or validation). So each ratio says what mapping, conversion and
// the whole-city validation cost on top of merely reading the files; the ratio of RSS
// says the same of memory. Progress of the import is printed as it goes.
// Last figure, how validation scales: validateHierarchy's CPU time per 1,000 vertices on
// the same city with every edge cut into 8 bulging pieces (730k vertices, district
// outlines of 1,400+), against the same on the plain city (straight edges), same run:
// a ratio near 1 means cost grows with the vertices, not faster.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  importCity,
  readGeoJson,
  readKml,
  readShapefileZip,
  realisticCity,
  SYNTHETIC_CITY_MAPPING,
  validateHierarchy,
  writeSyntheticCity,
} from '../geo/dist/index.js';
import { report } from './lib.mjs';

const FORMATS = ['geojson', 'kml', 'shapefile'];
const mb = (bytes) => bytes / 1e6;

/** The child: reads (`read`) or imports (`import`) the files listed in dir/<format>.json; prints one JSON line. */
async function child(mode, format, dir) {
  const list = JSON.parse(readFileSync(join(dir, `${format}.json`), 'utf8'));
  const files = list.map((f) => ({ ...f, data: new Uint8Array(readFileSync(join(dir, f.file))) }));
  let heap = process.memoryUsage().heapUsed;
  const sample = () => (heap = Math.max(heap, process.memoryUsage().heapUsed));
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  let kept;
  if (mode === 'read') {
    kept = [];
    for (const f of files) {
      if (f.name.endsWith('.zip')) kept.push(await readShapefileZip(f.data, { name: f.name }));
      else if (f.name.endsWith('.kml')) kept.push(readKml(f.data, { name: f.name }));
      else kept.push(readGeoJson(f.data, { name: f.name }));
      sample();
    }
  } else {
    let last = '';
    let lastPct = -1;
    kept = await importCity(files, {
      mapping: SYNTHETIC_CITY_MAPPING,
      crs: 'GCJ02',
      onProgress: (stage, done, total) => {
        sample();
        const pct = total ? Math.floor((100 * done) / total / 25) * 25 : 100;
        if (stage !== last || pct !== lastPct)
          console.error(
            `    ${format}: ${stage} ${done}/${total} (${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s)`,
          );
        [last, lastPct] = [stage, pct];
      },
    });
    if (!kept.report.ok) throw new Error(`the synthetic city failed validation: ${kept.report.summary.join('; ')}`);
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const used = process.cpuUsage(c0);
  const cpuMs = (used.user + used.system) / 1000;
  sample();
  const count = mode === 'read' ? kept.reduce((s, r) => s + r.collection.features.length, 0) : kept.areas.length;
  console.log(JSON.stringify({ ms, cpuMs, maxRssKb: process.resourceUsage().maxRSS, heap, count }));
}

function run(mode, format, dir) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, format, dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`${mode} ${format} exited with ${r.status}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], process.argv[5]);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'linli-city-bench-'));
  try {
    const city = realisticCity();
    for (const format of FORMATS) {
      const files = await writeSyntheticCity(city, format, { stem: format });
      for (const f of files) writeFileSync(join(dir, f.name), f.data);
      writeFileSync(
        join(dir, `${format}.json`),
        JSON.stringify(files.map((f) => ({ name: f.name, file: f.name, role: f.role }))),
      );
      const size = files.reduce(
        (s, f) => s + (typeof f.data === 'string' ? Buffer.byteLength(f.data) : f.data.length),
        0,
      );
      console.error(`  ${format}: ${files.map((f) => f.name).join(', ')} (${mb(size).toFixed(1)} MB)`);
    }
    for (const format of FORMATS) {
      const read = run('read', format, dir);
      const imp = run('import', format, dir);
      console.error(
        `  ${format}: read ${read.cpuMs.toFixed(0)} ms CPU (${read.ms.toFixed(0)} ms wall), ${(read.maxRssKb / 1024).toFixed(0)} MB peak RSS; ` +
          `import + validate ${imp.cpuMs.toFixed(0)} ms CPU (${imp.ms.toFixed(0)} ms wall), ${(imp.maxRssKb / 1024).toFixed(0)} MB peak RSS, ` +
          `${mb(imp.heap).toFixed(0)} MB heap at most; ${imp.count} areas`,
      );
      const what = `reading the same ${format} files with the format's reader alone (no conversion, mapping or validation), own process, same run`;
      report(`geo.city_import.${format}_15000_grids_cpu_ms`, imp.cpuMs, 'ms', read.cpuMs, what);
      report(
        `geo.city_import.${format}_15000_grids_peak_rss_mb`,
        imp.maxRssKb / 1024,
        'MB',
        read.maxRssKb / 1024,
        what,
      );
      report(`geo.city_import.${format}_15000_grids_peak_heap_mb`, mb(imp.heap), 'MB', mb(read.heap), what);
    }
    const perVertex = (areas) => {
      const vertices = areas.reduce((n, a) => n + (a.ring?.length ?? 0), 0);
      global.gc?.();
      const c0 = process.cpuUsage();
      const issues = validateHierarchy({ areas });
      const ms = process.cpuUsage(c0).user / 1000;
      if (issues.length) throw new Error(`the synthetic city failed validation: ${issues[0].message}`);
      console.error(`  validateHierarchy: ${vertices} vertices, ${ms.toFixed(0)} ms CPU`);
      return (1000 * ms) / vertices;
    };
    const plain = perVertex(city.areas);
    const dense = perVertex(realisticCity({ densify: 8 }).areas);
    report(
      'geo.city_validate.dense_15000_grids_cpu_ms_per_1000_vertices',
      dense,
      'ms',
      plain,
      'the same per 1,000 vertices on the city with straight edges (8× fewer vertices), same run',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
