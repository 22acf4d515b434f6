import { type ImportResult, readGeoJson, readKml, readShapefileZip } from '@linli/geo';

/** One uploaded or named file: its name (for messages and the format) and its bytes. */
export interface CityFile {
  name: string;
  data: Uint8Array;
}

/** What a file holds, judged from its geometries: areas (polygons), facilities (points) or roads (lines). */
export type FileRole = 'areas' | 'facilities' | 'roads';

export interface ReadFile {
  file: CityFile;
  format: 'geojson' | 'kml' | 'shapefile';
  role: FileRole;
  result: ImportResult;
}

/** The format from the name's extension; anything else is refused with the extensions we read. */
export function formatOf(name: string): ReadFile['format'] {
  const n = name.toLowerCase();
  if (n.endsWith('.geojson') || n.endsWith('.json')) return 'geojson';
  if (n.endsWith('.kml')) return 'kml';
  if (n.endsWith('.zip')) return 'shapefile';
  throw new Error(
    `${name}：无法识别的文件类型，应为 .geojson/.json、.kml 或 Shapefile 的 .zip / unknown file type: expected .geojson/.json, .kml or a zipped Shapefile (.zip)`,
  );
}

/**
 * A file's role from its first geometry: a file holds one kind of thing (a
 * layer), as GIS exports do. Features of another kind inside it are reported
 * by the reader that takes it (a point in an area file is "not a polygon").
 */
export function roleOf(result: ImportResult): FileRole {
  const first = result.collection.features.find((f) => f.geometry)?.geometry?.type ?? 'Polygon';
  if (first === 'Point' || first === 'MultiPoint') return 'facilities';
  if (first === 'LineString' || first === 'MultiLineString') return 'roads';
  return 'areas';
}

/** Reads one file with geo's readers (GBK or UTF-8 names in a Shapefile's .dbf are detected there). */
export async function readCityFile(file: CityFile, encoding?: string): Promise<ReadFile> {
  const format = formatOf(file.name);
  const result =
    format === 'geojson'
      ? readGeoJson(file.data, { name: file.name })
      : format === 'kml'
        ? readKml(file.data, { name: file.name })
        : await readShapefileZip(file.data, { name: file.name, ...(encoding ? { encoding } : {}) });
  return { file, format, role: roleOf(result), result };
}
