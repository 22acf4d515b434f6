import { gzipSync } from 'node:zlib';
import { zxyToTileId } from './tile-id.js';

/** One tile as it goes into the archive: MVT bytes, uncompressed. */
export interface ArchiveTile {
  z: number;
  x: number;
  y: number;
  data: Uint8Array;
}

export interface ArchiveInfo {
  minZoom: number;
  maxZoom: number;
  /** [west, south, east, north], degrees. */
  bounds: [number, number, number, number];
  center: [number, number, number];
  /** The JSON metadata (name, vector_layers …). */
  metadata: Record<string, unknown>;
}

interface Entry {
  tileId: number;
  offset: number;
  length: number;
  runLength: number;
}

const HEADER_BYTES = 127;
/** The spec asks that header and root directory fit in the first 16 KiB, so a reader needs one request. */
const ROOT_LIMIT = 16_384 - HEADER_BYTES;
const GZIP = 2;
const MVT = 1;

function varints(values: number[]): Buffer {
  const out: number[] = [];
  for (let v of values) {
    while (v >= 0x80) {
      out.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    out.push(v);
  }
  return Buffer.from(out);
}

/** A directory as the spec lays it out (columns: ID deltas, run lengths, lengths, offsets), gzipped. */
function directory(entries: Entry[]): Buffer {
  const offsets = entries.map((e, i) => {
    const prev = entries[i - 1];
    return prev && e.offset === prev.offset + prev.length ? 0 : e.offset + 1;
  });
  return gzipSync(
    varints([
      entries.length,
      ...entries.map((e, i) => e.tileId - (entries[i - 1]?.tileId ?? 0)),
      ...entries.map((e) => e.runLength),
      ...entries.map((e) => e.length),
      ...offsets,
    ]),
  );
}

/** The root directory, and leaf directories when the entries are too many for the first 16 KiB. */
function directories(entries: Entry[]): { root: Buffer; leaves: Buffer } {
  const root = directory(entries);
  if (root.length <= ROOT_LIMIT) return { root, leaves: Buffer.alloc(0) };
  for (let perLeaf = 4096; ; perLeaf *= 2) {
    const leafParts: Buffer[] = [];
    const rootEntries: Entry[] = [];
    let offset = 0;
    for (let i = 0; i < entries.length; i += perLeaf) {
      const leaf = directory(entries.slice(i, i + perLeaf));
      rootEntries.push({ tileId: entries[i]!.tileId, offset, length: leaf.length, runLength: 0 });
      leafParts.push(leaf);
      offset += leaf.length;
    }
    const r = directory(rootEntries);
    if (r.length <= ROOT_LIMIT) return { root: r, leaves: Buffer.concat(leafParts) };
  }
}

const e7 = (deg: number) => Math.round(deg * 1e7);

/**
 * Writes a PMTiles v3 archive (gzip for directories, metadata and tiles; MVT
 * tiles; clustered). Empty tiles should be left out by the caller: a missing
 * tile is answered as "no content".
 */
export function writePmtiles(tiles: readonly ArchiveTile[], info: ArchiveInfo): Buffer {
  const sorted = tiles
    .map((t) => ({ id: zxyToTileId(t.z, t.x, t.y), data: gzipSync(t.data) }))
    .sort((a, b) => a.id - b.id);
  const entries: Entry[] = [];
  let offset = 0;
  for (const t of sorted) {
    entries.push({ tileId: t.id, offset, length: t.data.length, runLength: 1 });
    offset += t.data.length;
  }
  const { root, leaves } = directories(entries);
  const metadata = gzipSync(Buffer.from(JSON.stringify(info.metadata)));
  const tileData = Buffer.concat(sorted.map((t) => t.data));

  const h = Buffer.alloc(HEADER_BYTES);
  h.write('PMTiles', 0, 'ascii');
  h.writeUInt8(3, 7);
  const rootOffset = HEADER_BYTES;
  const metaOffset = rootOffset + root.length;
  const leafOffset = metaOffset + metadata.length;
  const dataOffset = leafOffset + leaves.length;
  const u64 = (pos: number, v: number) => h.writeBigUInt64LE(BigInt(v), pos);
  u64(8, rootOffset);
  u64(16, root.length);
  u64(24, metaOffset);
  u64(32, metadata.length);
  u64(40, leafOffset);
  u64(48, leaves.length);
  u64(56, dataOffset);
  u64(64, tileData.length);
  u64(72, entries.length); // addressed tiles
  u64(80, entries.length); // tile entries
  u64(88, entries.length); // distinct tile contents (none are shared)
  h.writeUInt8(1, 96); // clustered: tile data is in tile ID order
  h.writeUInt8(GZIP, 97);
  h.writeUInt8(GZIP, 98);
  h.writeUInt8(MVT, 99);
  h.writeUInt8(info.minZoom, 100);
  h.writeUInt8(info.maxZoom, 101);
  const [w, s, e, n] = info.bounds;
  h.writeInt32LE(e7(w), 102);
  h.writeInt32LE(e7(s), 106);
  h.writeInt32LE(e7(e), 110);
  h.writeInt32LE(e7(n), 114);
  h.writeUInt8(info.center[2], 118);
  h.writeInt32LE(e7(info.center[0]), 119);
  h.writeInt32LE(e7(info.center[1]), 123);
  return Buffer.concat([h, root, metadata, leaves, tileData]);
}
