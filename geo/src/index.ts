export { AreaIndex } from './area-index.js';
export { buildDemoCity, seededRandom } from './demo-city.js';
export { type CommunitySpec, DEMO_CITY, PILOT_COMMUNITIES } from './demo-city-spec.js';
export { type AreaFeature, toGeoJson } from './geojson.js';
export { demoBasemapPath, loadDemoCity, loadDemoFeatures } from './load.js';
export { buildBasemap, type BuildBasemapOptions } from './basemap/build-basemap.js';
export { cutTiles, tileRange } from './basemap/cut-tiles.js';
export {
  AREA_TILE_GRID_MIN_ZOOM,
  AREA_TILE_LAYER,
  AREA_TILE_MAX_ZOOM,
  AreaTileIndex,
  type TileScope,
} from './basemap/area-tiles.js';
export { AreaTileWorker, areaTileWorkerPath } from './basemap/area-tile-pool.js';
export { BASEMAP_LAYERS, type BasemapLayer, basemapLayers } from './basemap/layers.js';
export { type ArchiveInfo, type ArchiveTile, writePmtiles } from './basemap/pmtiles-writer.js';
export { zxyToTileId } from './basemap/tile-id.js';
export { buildDemoFeatures, DEMO_FEATURES_SEED, serializeDemoFeatures } from './demo-features/build.js';
export type {
  DemoFacility,
  DemoFeatures,
  DemoHousehold,
  ParkFeature,
  StreetFeature,
  StreetKind,
  WaterFeature,
} from './demo-features/types.js';
export { pointInRing, ringBounds, ringCentroid } from './polygon.js';
export type { Area, AreaLevel, AreaTree, Ring } from './types.js';
export {
  computeCoverage,
  type CoverageGap,
  CoverageCalculator,
  type CoverageOptions,
  type CoverageResult,
  facilitiesKey,
  type GridCoverage,
  type TypeCoverage,
} from './coverage/coverage.js';
export {
  cityCoverage,
  type CityCoverageOptions,
  type CityCoverageResult,
  sampleHomes,
} from './coverage/city-coverage.js';
export { EARTH_RADIUS_M, haversine, METRES_PER_DEGREE, PointIndex } from './coverage/geodesy.js';
export {
  DETOUR_FACTOR,
  distancesToNearest,
  nodeDistances,
  snapToGraph,
  type Snapped,
  straightLineMetres,
  WALK_SPEED_MPS,
  walkableMetres,
  walkingMetres,
  walkMinutes,
} from './coverage/isochrone.js';
export {
  FACILITIES_PER_GRID,
  gridsBounds,
  latticeStreets,
  syntheticFacilities,
  syntheticHomes,
} from './coverage/synthetic.js';
export { type Facility, type Home, SERVICE_TYPES, type ServiceType } from './coverage/types.js';
export {
  buildWalkGraph,
  type StreetCollection,
  type StreetGeometry,
  type WalkGraph,
  type WalkGraphOptions,
} from './coverage/walk-graph.js';
export {
  type Crs,
  type CrsDetection,
  detectCrs,
  fromWgs84,
  inChina,
  isCrs,
  requireCrs,
  resolveCrs,
  toWgs84,
} from './import/crs.js';
export { buildReport, type CityIssue, type CityReport, ISSUE_KINDS, type Severity } from './import/city-report.js';
export {
  type CityFile,
  type CityFileFormat,
  type CityFileRole,
  formatOf,
  type ImportCityOptions,
  type ImportCityResult,
  importCity,
  type ImportedCitySource,
} from './import/import-city.js';
export {
  type CityFacility,
  type FacilityMapping,
  KIND_WORDS,
  serviceTypeOf,
  toFacilities,
  type ToFacilitiesOptions,
} from './import/to-facilities.js';
export { type RoadCollection, type RoadFeature, toRoads } from './import/to-roads.js';
export { ImportError, type ImportIssue } from './import/errors.js';
export { crsFromPrj } from './import/prj.js';
export { readGeoJson } from './import/read-geojson.js';
export { readKml } from './import/read-kml.js';
export { readShapefileZip, type ShapefileZipOptions } from './import/read-shapefile-zip.js';
export {
  levelFromCode,
  parentFromCode,
  type PropertyMapping,
  toAreas,
  type ToAreasOptions,
  type ToAreasResult,
} from './import/to-area-tree.js';
export type {
  ImportedCollection,
  ImportedFeature,
  ImportedGeometry,
  ImportResult,
  ImportSource,
} from './import/types.js';
export { EDGE_EPSILON, GridIndex, gridsOf, nearRingEdge, scanGridAt } from './index/grid-index.js';
export { metresPerDegree, type SyntheticCityOptions, syntheticCity } from './index/synthetic-city.js';
export { type GeometryIssue, type GeometryIssueKind, issueText, rewind, validatePolygon } from './validate/geometry.js';
export {
  type HierarchyArea,
  type HierarchyIssue,
  type HierarchyIssueKind,
  type HierarchyOptions,
  LEVEL_ZH,
  validateHierarchy,
  type ValidationProgress,
} from './validate/hierarchy.js';
export { intersectionArea, ringArea } from './validate/overlap.js';
export { type SafeCount, SUPPRESSION_THRESHOLD, suppress } from './aggregate/suppress.js';
export {
  type CityFacilityRecord,
  type CitySplit,
  REALISTIC_SPLIT,
  type RealisticCity,
  realisticCity,
  type RealisticCityOptions,
} from './testing/realistic-city.js';
export { encodeGbk } from './testing/gbk.js';
export {
  type CityFormat,
  SYNTHETIC_CITY_MAPPING,
  SYNTHETIC_FACILITY_MAPPING,
  type WrittenCityFile,
  writeSyntheticCity,
} from './testing/write-city.js';
