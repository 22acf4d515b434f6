import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DemoFeatures } from './demo-features/types.js';
import type { AreaTree } from './types.js';

/** The committed demo city (geo/data/demo-city.json, made by `npm run gen:demo-city -w @linli/geo`). */
export function loadDemoCity(): AreaTree {
  const url = new URL('../data/demo-city.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as AreaTree;
}

/** The committed demo streets, water, parks, facilities and households (geo/data/demo-features.json). */
export function loadDemoFeatures(): DemoFeatures {
  const url = new URL('../data/demo-features.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as DemoFeatures;
}

/** Path of the committed demo basemap archive (geo/data/demo-basemap.pmtiles, made by geo/scripts/build-basemap.mjs). */
export function demoBasemapPath(): string {
  return fileURLToPath(new URL('../data/demo-basemap.pmtiles', import.meta.url));
}
