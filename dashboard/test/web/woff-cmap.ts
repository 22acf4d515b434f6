import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

/**
 * The code points a WOFF 1.0 font has glyphs for, read from its `cmap` table
 * (format 12 preferred, else format 4). WOFF rather than WOFF2: its tables are
 * plain zlib, so this needs nothing beyond Node; fontsource ships both for
 * every slice, cut from the same subset.
 */
export function woffCodePoints(file: string): Set<number> {
  const woff = readFileSync(file);
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error(`${file} is not a WOFF file`);
  const numTables = woff.readUInt16BE(12);
  let cmap: Buffer | null = null;
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    if (woff.toString('latin1', at, at + 4) !== 'cmap') continue;
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    cmap = compLength < origLength ? inflateSync(raw) : raw;
  }
  if (!cmap) throw new Error(`${file} has no cmap table`);
  const records = Array.from({ length: cmap.readUInt16BE(2) }, (_, i) => ({
    platform: cmap.readUInt16BE(4 + i * 8),
    encoding: cmap.readUInt16BE(6 + i * 8),
    offset: cmap.readUInt32BE(8 + i * 8),
  }));
  const pick = (p: number, e: number) => records.find((r) => r.platform === p && r.encoding === e);
  const rec = pick(3, 10) ?? pick(0, 4) ?? pick(3, 1) ?? pick(0, 3);
  if (!rec) throw new Error(`${file}: no Unicode cmap subtable`);
  const t = cmap.subarray(rec.offset);
  const out = new Set<number>();
  const format = t.readUInt16BE(0);
  if (format === 12) {
    const groups = t.readUInt32BE(12);
    for (let g = 0; g < groups; g++) {
      const start = t.readUInt32BE(16 + g * 12);
      const end = t.readUInt32BE(20 + g * 12);
      const glyph = t.readUInt32BE(24 + g * 12);
      for (let c = start; c <= end; c++) if (glyph + (c - start) !== 0) out.add(c);
    }
  } else if (format === 4) {
    const seg = t.readUInt16BE(6) / 2;
    const ends = 14;
    const starts = ends + seg * 2 + 2;
    const deltas = starts + seg * 2;
    const rangeOffsets = deltas + seg * 2;
    for (let s = 0; s < seg; s++) {
      const end = t.readUInt16BE(ends + s * 2);
      const start = t.readUInt16BE(starts + s * 2);
      const delta = t.readInt16BE(deltas + s * 2);
      const ro = t.readUInt16BE(rangeOffsets + s * 2);
      for (let c = start; c <= end && c !== 0xffff; c++) {
        let glyph: number;
        if (ro === 0) glyph = (c + delta) & 0xffff;
        else {
          const g = t.readUInt16BE(rangeOffsets + s * 2 + ro + (c - start) * 2);
          glyph = g === 0 ? 0 : (g + delta) & 0xffff;
        }
        if (glyph !== 0) out.add(c);
      }
    }
  } else throw new Error(`${file}: cmap format ${format} not read here`);
  return out;
}
