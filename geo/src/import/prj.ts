import type { CrsDetection } from './crs.js';

/** Datums close enough to WGS-84 for community maps: CGCS2000 differs by centimetres. */
const WGS84_DATUMS =
  /WGS[\s_]*(19)?84|World Geodetic System 1984|China[\s_]*2000|CGCS[\s_]*2000|China Geodetic Coordinate System 2000/i;

/**
 * What a shapefile's .prj (ESRI WKT1 or WKT2) says about its coordinate system. A projected
 * system comes back as `unsupported` with its name; a geographic one on another datum
 * (Beijing 1954, Xian 1980) as `unknown`, since converting it needs parameters we do not have.
 */
export function crsFromPrj(wkt: string, prjName: string): CrsDetection & { projected?: string } {
  const text = wkt.trim();
  const projected = /^(PROJCS|PROJCRS|PROJECTEDCRS)\s*\[\s*"([^"]*)"/i.exec(text);
  if (projected) {
    const crsName = projected[2] ?? '';
    return {
      crs: 'unsupported',
      from: 'file',
      projected: crsName,
      reason: { zh: `${prjName} 声明投影坐标系 ${crsName}`, en: `${prjName} declares the projected system ${crsName}` },
    };
  }
  const geographic = /^(GEOGCS|GEOGCRS|GEODCRS|GEOGRAPHICCRS)\s*\[\s*"([^"]*)"/i.exec(text);
  if (!geographic)
    return { crs: 'unknown', from: 'none', reason: { zh: `无法识别 ${prjName}`, en: `${prjName} is not understood` } };
  const datum = /DATUM\s*\[\s*"([^"]*)"/i.exec(text)?.[1] ?? '';
  const crsName = geographic[2] ?? '';
  if (WGS84_DATUMS.test(datum) || WGS84_DATUMS.test(crsName))
    return {
      crs: 'WGS84',
      from: 'file',
      reason: { zh: `${prjName} 声明 ${crsName}`, en: `${prjName} declares ${crsName}` },
    };
  return {
    crs: 'unknown',
    from: 'file',
    reason: {
      zh: `${prjName} 声明 ${crsName}（基准面 ${datum}），不是 WGS-84 或 CGCS2000`,
      en: `${prjName} declares ${crsName} (datum ${datum}), neither WGS-84 nor CGCS2000`,
    },
  };
}
