export { AreaIndex } from './area-index.js';
export { buildDemoCity, seededRandom } from './demo-city.js';
export { type CommunitySpec, DEMO_CITY, PILOT_COMMUNITIES } from './demo-city-spec.js';
export { toGeoJson } from './geojson.js';
export { loadDemoCity } from './load.js';
export { pointInRing, ringBounds, ringCentroid } from './polygon.js';
export type { Area, AreaLevel, AreaTree, Ring } from './types.js';
