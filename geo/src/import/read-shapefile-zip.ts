import JSZip from 'jszip';
import * as shapefile from 'shapefile';
import { rewind } from '../validate/geometry.js';
import type { CrsDetection } from './crs.js';
import { fail } from './errors.js';
import { crsFromPrj } from './prj.js';
import type { ImportedCollection, ImportedGeometry, ImportResult, ImportSource } from './types.js';

export interface ShapefileZipOptions {
  /** File name for messages. */
  name?: string;
  /** Text encoding of the .dbf (e.g. `gbk`); wins over a .cpg file. */
  encoding?: string;
  /** Which .shp to read when the zip holds several (base name, with or without `.shp`). */
  layer?: string;
}

/** Code pages as .cpg files write them, to labels TextDecoder knows. */
function cpgLabel(cpg: string): string {
  const v = cpg
    .trim()
    .toLowerCase()
    .replace(/^(ansi|cp|windows-?)\s*/, '');
  if (v === '936' || v === 'gb2312' || v === 'gbk') return 'gbk';
  if (v === '65001' || v === 'utf8') return 'utf-8';
  if (v === '950') return 'big5';
  return /^125\d$/.test(v) ? `windows-${v}` : v;
}

/** The .dbf encoding: the option, a .cpg, the DBF header's language driver, or UTF-8 if the text is valid UTF-8. */
function dbfEncoding(
  dbf: Uint8Array,
  cpg: string | null,
  option: string | undefined,
  name: string,
): Pick<ImportSource, 'encoding' | 'encodingFrom'> {
  if (option) return { encoding: option, encodingFrom: 'option' };
  if (cpg !== null) return { encoding: cpgLabel(cpg), encodingFrom: 'cpg' };
  const ldid = dbf[29];
  if (ldid === 0x4d || ldid === 0x7a) return { encoding: 'gbk', encodingFrom: 'dbf-header' };
  if (ldid === 0x4f || ldid === 0x78) return { encoding: 'big5', encodingFrom: 'dbf-header' };
  const headerLength = dbf.length >= 10 ? dbf[8]! | (dbf[9]! << 8) : 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf.subarray(headerLength));
    return { encoding: 'utf-8', encodingFrom: 'utf-8-check' };
  } catch {
    return fail(
      name,
      'unknown-encoding',
      '.dbf 中的文字不是 UTF-8，也没有 .cpg 文件说明编码；中文数据常为 GBK，请指定 encoding（如 gbk）',
      'the .dbf text is not UTF-8 and no .cpg file names its encoding; Chinese data is often GBK: pass the encoding option (e.g. gbk)',
    );
  }
}

/** Shapefile rings run clockwise by that format's rule; RFC 7946 wants the opposite. */
function toRfc7946(g: ImportedGeometry | null): ImportedGeometry | null {
  if (g?.type === 'Polygon') return { type: g.type, coordinates: rewind(g.coordinates as number[][][]) };
  if (g?.type === 'MultiPolygon')
    return { type: g.type, coordinates: (g.coordinates as number[][][][]).map((p) => rewind(p)) };
  return g;
}

/**
 * Reads a zipped Shapefile: the .shp with its .dbf, and .prj/.cpg if present. Refuses a
 * projected .prj (coordinates must be longitude/latitude); polygons come back in RFC 7946 winding.
 */
export async function readShapefileZip(
  data: Uint8Array | ArrayBuffer,
  options: ShapefileZipOptions = {},
): Promise<ImportResult> {
  const name = options.name ?? 'Shapefile zip';
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(data);
  } catch (e) {
    return fail(
      name,
      'not-zip',
      `不是有效的 zip 文件：${(e as Error).message}`,
      `not a valid zip: ${(e as Error).message}`,
      e,
    );
  }
  const files = Object.values(zip.files).filter((f) => !f.dir && !/(^|\/)(__MACOSX\/|\._)/.test(f.name));
  const wanted = options.layer?.replace(/\.shp$/i, '').toLowerCase();
  const stem = (n: string) => n.replace(/\.shp$/i, '').toLowerCase();
  const shps = files.filter(
    (f) => /\.shp$/i.test(f.name) && (!wanted || [stem(f.name), stem(f.name).split('/').pop()].includes(wanted)),
  );
  const listed = files.map((f) => f.name).join(', ') || '（空）';
  if (shps.length !== 1) {
    const many = shps.length > 1;
    fail(
      name,
      many ? 'many-shp' : 'no-shp',
      many
        ? `zip 中有多个 .shp：${shps.map((f) => f.name).join(', ')}，请用 layer 选项指定`
        : `zip 中没有${wanted ? `名为 ${options.layer} 的` : ''} .shp 文件（含 ${listed}）`,
      many
        ? `the zip holds several .shp files: ${shps.map((f) => f.name).join(', ')}; choose one with the layer option`
        : `the zip has no .shp file${wanted ? ` named ${options.layer}` : ''} (it holds ${listed})`,
    );
  }
  const shp = shps[0]!;
  const base = shp.name.slice(0, -4).toLowerCase();
  const sibling = (ext: string) => files.find((f) => f.name.toLowerCase() === base + ext);
  const [dbfFile, prjFile, cpgFile] = [sibling('.dbf'), sibling('.prj'), sibling('.cpg')];
  let crs: CrsDetection = { crs: 'unknown', from: 'none', reason: { zh: '没有 .prj 文件', en: 'no .prj file' } };
  if (prjFile) {
    const prj = crsFromPrj(await prjFile.async('string'), prjFile.name);
    if (prj.projected !== undefined)
      fail(
        name,
        'projected-crs',
        `${prj.reason.zh}；只支持经纬度坐标，请先转换为 WGS-84 或 CGCS2000 经纬度`,
        `${prj.reason.en}; only longitude/latitude is supported: reproject to WGS-84 or CGCS2000 first`,
      );
    crs = prj;
  }
  const dbf = dbfFile ? await dbfFile.async('uint8array') : undefined;
  const cpg = cpgFile ? await cpgFile.async('string') : null;
  const enc = dbf ? dbfEncoding(dbf, cpg, options.encoding, name) : {};
  try {
    if (enc.encoding) new TextDecoder(enc.encoding);
  } catch (e) {
    fail(name, 'bad-encoding', `不支持的编码 ${enc.encoding}`, `unsupported encoding ${enc.encoding}`, e);
  }
  let raw;
  try {
    raw = await shapefile.read(await shp.async('uint8array'), dbf, enc.encoding ? { encoding: enc.encoding } : {});
  } catch (e) {
    const why = (e as Error).message;
    return fail(name, 'bad-shapefile', `无法读取 ${shp.name}：${why}`, `cannot read ${shp.name}: ${why}`, e);
  }
  const collection: ImportedCollection = {
    type: 'FeatureCollection',
    features: raw.features.map((f) => ({
      type: 'Feature',
      properties: f.properties,
      geometry: toRfc7946(f.geometry as ImportedGeometry | null),
    })),
  };
  return { collection, source: { format: 'shapefile', name, crs, layer: shp.name, ...enc } };
}
