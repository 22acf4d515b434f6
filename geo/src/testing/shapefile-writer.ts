import JSZip from 'jszip';
import { encodeGbk } from './gbk.js';

/**
 * Writes Shapefile bytes following the ESRI Shapefile Technical Description (July 1998)
 * for .shp/.shx and dBase III for .dbf: points (shape type 1), polylines (3) and polygons
 * (5), one part per record.
 */
type Ring = readonly (readonly [number, number])[];

/** Shape types by what they hold. */
export const SHAPE_TYPE = { point: 1, polyline: 3, polygon: 5 } as const;
export type ShapeKind = keyof typeof SHAPE_TYPE;

function header(view: DataView, fileWords: number, type: number, box: readonly number[]): void {
  view.setInt32(0, 9994, false); // file code, big-endian
  view.setInt32(24, fileWords, false); // file length in 16-bit words, big-endian
  view.setInt32(28, 1000, true); // version
  view.setInt32(32, type, true); // shape type
  box.forEach((v, i) => view.setFloat64(36 + 8 * i, v, true)); // Xmin, Ymin, Xmax, Ymax
}

function bounds(points: readonly (readonly [number, number])[]): number[] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  return [x0, y0, x1, y1];
}

/**
 * One record per entry: a point (one position), a polyline or a polygon (its positions; pass
 * polygon rings clockwise, the Shapefile order for outer rings).
 */
export function buildShp(shapes: readonly Ring[], kind: ShapeKind = 'polygon'): { shp: Uint8Array; shx: Uint8Array } {
  return buildShpParts(
    shapes.map((r) => [r]),
    kind,
  );
}

/**
 * One record per entry, each of one or more parts: polygons with holes (outer rings
 * clockwise, holes counter-clockwise) or multi-part lines. A point record takes the first
 * position of its first part.
 */
export function buildShpParts(
  records: readonly (readonly Ring[])[],
  kind: ShapeKind = 'polygon',
): { shp: Uint8Array; shx: Uint8Array } {
  const type = SHAPE_TYPE[kind];
  // Content: type (4), then for a point X, Y (16); else box (32), parts (4), points (4), part starts (4 each), positions.
  const contents = records.map((parts) =>
    kind === 'point' ? 20 : 44 + 4 * parts.length + 16 * parts.reduce((n, p) => n + p.length, 0),
  );
  const shp = new DataView(new ArrayBuffer(100 + contents.reduce((s, c) => s + 8 + c, 0)));
  const shx = new DataView(new ArrayBuffer(100 + 8 * records.length));
  const all = records.map((parts) => bounds(parts.flat()));
  const box = [
    Math.min(...all.map((b) => b[0]!)),
    Math.min(...all.map((b) => b[1]!)),
    Math.max(...all.map((b) => b[2]!)),
    Math.max(...all.map((b) => b[3]!)),
  ];
  header(shp, shp.byteLength / 2, type, box);
  header(shx, shx.byteLength / 2, type, box);
  let at = 100;
  records.forEach((parts, r) => {
    shx.setInt32(100 + 8 * r, at / 2, false); // offset of the record header, in words
    shx.setInt32(104 + 8 * r, contents[r]! / 2, false);
    shp.setInt32(at, r + 1, false); // record number, 1-based
    shp.setInt32(at + 4, contents[r]! / 2, false); // content length in words
    const c = at + 8;
    shp.setInt32(c, type, true);
    if (kind === 'point') {
      shp.setFloat64(c + 4, parts[0]![0]![0], true);
      shp.setFloat64(c + 12, parts[0]![0]![1], true);
    } else {
      const points = parts.flat();
      all[r]!.forEach((v, i) => shp.setFloat64(c + 4 + 8 * i, v, true));
      shp.setInt32(c + 36, parts.length, true); // parts
      shp.setInt32(c + 40, points.length, true); // points
      let start = 0;
      parts.forEach((part, i) => {
        shp.setInt32(c + 44 + 4 * i, start, true); // index of the part's first point
        start += part.length;
      });
      const xy = c + 44 + 4 * parts.length;
      points.forEach(([x, y], i) => {
        shp.setFloat64(xy + 16 * i, x, true);
        shp.setFloat64(xy + 8 + 16 * i, y, true);
      });
    }
    at = c + contents[r]!;
  });
  return { shp: new Uint8Array(shp.buffer), shx: new Uint8Array(shx.buffer) };
}

export interface DbfField {
  name: string;
  /** C: text (GBK unless the table says otherwise); N: a number. */
  type: 'C' | 'N';
  length: number;
}

/**
 * A dBase III table. By default text is GBK with the GBK language driver id (0x4D) in the
 * header; `ldid` and `encode` write other tables (UTF-8 text, no driver id), and a byte
 * array is written as it is (already encoded).
 */
export function buildDbf(
  fields: readonly DbfField[],
  records: readonly (string | number | Uint8Array)[][],
  opts: { ldid?: number; encode?: (text: string) => Uint8Array } = {},
): Uint8Array {
  const encode = opts.encode ?? encodeGbk;
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const out = new Uint8Array(headerLength + recordLength * records.length + 1);
  const view = new DataView(out.buffer);
  out[0] = 0x03;
  out.set([126, 1, 1], 1); // last update 2026-01-01
  view.setUint32(4, records.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  out[29] = opts.ldid ?? 0x4d; // language driver: 0x4D is GBK (code page 936)
  fields.forEach((f, i) => {
    const d = 32 + 32 * i;
    out.set(new TextEncoder().encode(f.name), d);
    out[d + 11] = f.type.charCodeAt(0);
    out[d + 16] = f.length;
  });
  out[headerLength - 1] = 0x0d;
  records.forEach((values, r) => {
    let at = headerLength + recordLength * r;
    out[at++] = 0x20; // not deleted
    fields.forEach((f, i) => {
      const v = values[i] ?? '';
      const bytes = v instanceof Uint8Array ? v : encode(String(v));
      if (bytes.length > f.length)
        throw new Error(`${f.name}: ${String(values[i])} needs ${bytes.length} bytes, field holds ${f.length}`);
      const cell = new Uint8Array(f.length).fill(0x20);
      cell.set(bytes, f.type === 'N' ? f.length - bytes.length : 0); // numbers right-aligned
      out.set(cell, at);
      at += f.length;
    });
  });
  out[out.length - 1] = 0x1a;
  return out;
}

export const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/** A zip of `<stem>.shp/.shx/.dbf/.cpg` (and `.prj` when given). */
export async function zipShapefile(
  stem: string,
  parts: { shp: Uint8Array; shx: Uint8Array; dbf: Uint8Array; cpg?: string; prj?: string },
): Promise<Uint8Array> {
  const z = new JSZip();
  z.file(`${stem}.shp`, parts.shp);
  z.file(`${stem}.shx`, parts.shx);
  z.file(`${stem}.dbf`, parts.dbf);
  if (parts.cpg !== undefined) z.file(`${stem}.cpg`, parts.cpg);
  if (parts.prj !== undefined) z.file(`${stem}.prj`, parts.prj);
  return z.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
