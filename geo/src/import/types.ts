import type { CrsDetection } from './crs.js';

/**
 * The small part of GeoJSON (RFC 7946) the importer relies on. Readers check the
 * structure; coordinates stay `unknown`-ish until geometry validation looks at them.
 */
export type Position = number[];

export interface ImportedGeometry {
  type: string;
  coordinates?: unknown;
}

export interface ImportedFeature {
  type: 'Feature';
  properties: Record<string, unknown> | null;
  geometry: ImportedGeometry | null;
}

export interface ImportedCollection {
  type: 'FeatureCollection';
  features: ImportedFeature[];
}

export interface ImportSource {
  format: 'geojson' | 'kml' | 'shapefile';
  /** File name (or a caller-given label) used in error messages. */
  name: string;
  /** What the file itself says about its coordinate system. */
  crs: CrsDetection;
  /** Shapefile only: the .shp used, the text encoding of the .dbf and where that came from. */
  layer?: string;
  encoding?: string;
  encodingFrom?: 'option' | 'cpg' | 'dbf-header' | 'utf-8-check';
}

export interface ImportResult {
  collection: ImportedCollection;
  source: ImportSource;
}
