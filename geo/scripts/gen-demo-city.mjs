// Regenerates geo/data/demo-city.json from the seed. Run after `npm run build`.
import { writeFileSync } from 'node:fs';
import { buildDemoCity } from '../dist/index.js';

const tree = buildDemoCity();
writeFileSync(new URL('../data/demo-city.json', import.meta.url), `${JSON.stringify(tree, null, 1)}\n`);
console.log(`demo city: ${tree.areas.length} areas written to geo/data/demo-city.json`);
