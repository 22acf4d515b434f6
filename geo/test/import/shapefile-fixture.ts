import JSZip from 'jszip';

/**
 * Writes real Shapefile bytes by hand, following the ESRI Shapefile Technical Description
 * (July 1998) for .shp/.shx and dBase III for .dbf, so the reader is tested against the
 * format rather than against its own output.
 */
type Ring = [number, number][];

function header(view: DataView, fileWords: number, box: number[]): void {
  view.setInt32(0, 9994, false); // file code, big-endian
  view.setInt32(24, fileWords, false); // file length in 16-bit words, big-endian
  view.setInt32(28, 1000, true); // version
  view.setInt32(32, 5, true); // shape type: Polygon
  box.forEach((v, i) => view.setFloat64(36 + 8 * i, v, true)); // Xmin, Ymin, Xmax, Ymax
}

/** Polygons as rings in Shapefile order (outer rings clockwise, holes counter-clockwise). */
export function buildShp(polygons: Ring[][]): { shp: Uint8Array; shx: Uint8Array } {
  const contents = polygons.map((rings) => 44 + 4 * rings.length + 16 * rings.flat().length);
  const shp = new DataView(new ArrayBuffer(100 + contents.reduce((s, c) => s + 8 + c, 0)));
  const shx = new DataView(new ArrayBuffer(100 + 8 * polygons.length));
  const all = polygons.flat(2);
  const box = [
    Math.min(...all.map((p) => p[0])),
    Math.min(...all.map((p) => p[1])),
    Math.max(...all.map((p) => p[0])),
    Math.max(...all.map((p) => p[1])),
  ];
  header(shp, shp.byteLength / 2, box);
  header(shx, shx.byteLength / 2, box);
  let at = 100;
  polygons.forEach((rings, r) => {
    const points = rings.flat();
    shx.setInt32(100 + 8 * r, at / 2, false); // offset of the record header, in words
    shx.setInt32(104 + 8 * r, contents[r]! / 2, false);
    shp.setInt32(at, r + 1, false); // record number, 1-based
    shp.setInt32(at + 4, contents[r]! / 2, false); // content length in words
    const c = at + 8;
    shp.setInt32(c, 5, true);
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) =>
      shp.setFloat64(c + 4 + 8 * i, v, true),
    );
    shp.setInt32(c + 36, rings.length, true);
    shp.setInt32(c + 40, points.length, true);
    let start = 0;
    rings.forEach((ring, i) => {
      shp.setInt32(c + 44 + 4 * i, start, true); // index of the ring's first point
      start += ring.length;
    });
    points.forEach(([x, y], i) => {
      shp.setFloat64(c + 44 + 4 * rings.length + 16 * i, x, true);
      shp.setFloat64(c + 52 + 4 * rings.length + 16 * i, y, true);
    });
    at = c + contents[r]!;
  });
  return { shp: new Uint8Array(shp.buffer), shx: new Uint8Array(shx.buffer) };
}

export interface DbfField {
  name: string;
  type: 'C' | 'N';
  length: number;
}

/** A dBase III table; string values are ASCII, byte arrays are already encoded (e.g. GBK). */
export function buildDbf(fields: DbfField[], records: (string | number | Uint8Array)[][], ldid = 0): Uint8Array {
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((s, f) => s + f.length, 0);
  const out = new Uint8Array(headerLength + recordLength * records.length + 1);
  const view = new DataView(out.buffer);
  out[0] = 0x03;
  out.set([126, 1, 1], 1); // last update 2026-01-01
  view.setUint32(4, records.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  out[29] = ldid; // language driver: 0x4D is GBK (code page 936)
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
      const v = values[i]!;
      const bytes = v instanceof Uint8Array ? v : new TextEncoder().encode(String(v));
      const cell = new Uint8Array(f.length).fill(0x20);
      cell.set(bytes, f.type === 'N' ? f.length - bytes.length : 0); // numbers right-aligned
      out.set(cell, at);
      at += f.length;
    });
  });
  out[out.length - 1] = 0x1a;
  return out;
}

export async function zip(files: Record<string, Uint8Array | string>): Promise<Uint8Array> {
  const z = new JSZip();
  for (const [name, data] of Object.entries(files)) z.file(name, data);
  return z.generateAsync({ type: 'uint8array' });
}

export const hex = (s: string) => new Uint8Array(s.split(' ').map((b) => parseInt(b, 16)));

export const WGS84_PRJ =
  'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
