// Builds geo/data/demo-basemap.pmtiles (the demo city's offline vector basemap)
// from the committed demo city and features. Run after `npm run build`.
// `--out FILE` writes elsewhere; progress goes to stderr.
import { writeFileSync } from 'node:fs';
import { buildBasemap, demoBasemapPath, loadDemoCity, loadDemoFeatures } from '../dist/index.js';

const at = process.argv.indexOf('--out');
const out = at > 0 ? process.argv[at + 1] : demoBasemapPath();
const t0 = Date.now();
const archive = buildBasemap(loadDemoCity(), loadDemoFeatures(), {
  onProgress: (done, total, z) => {
    const pct = Math.round((done / total) * 100);
    process.stderr.write(`底图 basemap: zoom ${z} · ${done}/${total} tile positions (${pct}%)\n`);
  },
});
writeFileSync(out, archive);
console.log(
  `底图 basemap: ${(archive.length / 1024).toFixed(0)} KiB written to ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
);
