import { readFileSync } from 'node:fs';
import type { AreaTree } from './types.js';

/** The committed demo city (geo/data/demo-city.json, made by `npm run gen:demo-city -w @linli/geo`). */
export function loadDemoCity(): AreaTree {
  const url = new URL('../data/demo-city.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as AreaTree;
}
