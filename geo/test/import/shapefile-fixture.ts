import JSZip from 'jszip';
import { buildDbf as writeDbf, buildShpParts, type DbfField, WGS84_PRJ } from '../../src/testing/shapefile-writer.js';

/**
 * Shapefile bytes for the reader's tests, from the writer that follows the ESRI Shapefile
 * Technical Description (July 1998) and dBase III (src/testing/shapefile-writer.ts), so the
 * reader is tested against the format rather than against its own output. These tests
 * also write what the writer's defaults do not: holes, UTF-8 text, no language driver.
 */
type Ring = [number, number][];

export { type DbfField, WGS84_PRJ };

/** Polygons as rings in Shapefile order (outer rings clockwise, holes counter-clockwise). */
export const buildShp = (polygons: Ring[][]) => buildShpParts(polygons, 'polygon');

/** A dBase III table; string values are UTF-8 (ASCII in practice), byte arrays are already encoded (e.g. GBK). */
export const buildDbf = (fields: DbfField[], records: (string | number | Uint8Array)[][], ldid = 0): Uint8Array =>
  writeDbf(fields, records, { ldid, encode: (s) => new TextEncoder().encode(s) });

export async function zip(files: Record<string, Uint8Array | string>): Promise<Uint8Array> {
  const z = new JSZip();
  for (const [name, data] of Object.entries(files)) z.file(name, data);
  return z.generateAsync({ type: 'uint8array' });
}

export const hex = (s: string) => new Uint8Array(s.split(' ').map((b) => parseInt(b, 16)));
