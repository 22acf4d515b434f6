// Regenerates geo/data/demo-features.json (streets, water, parks, facilities,
// households around the demo city) from its seed. Run after `npm run build`.
import { writeFileSync } from 'node:fs';
import { buildDemoFeatures, loadDemoCity, serializeDemoFeatures } from '../dist/index.js';

const f = buildDemoFeatures(loadDemoCity());
writeFileSync(new URL('../data/demo-features.json', import.meta.url), serializeDemoFeatures(f));
console.log(
  `demo features: ${f.streets.length} streets, ${f.water.length} water, ${f.parks.length} parks, ` +
    `${f.facilities.length} facilities, ${f.households.length} households written to geo/data/demo-features.json`,
);
