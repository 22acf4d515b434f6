import type { FontFacesSpecification } from 'maplibre-gl';
import { MAP_FONT } from './basemap-style.js';
// The same files the page's CSS loads (bundled by Vite, served by the hub): no glyph server anywhere.
import latinUrl from '@fontsource/noto-sans-sc/files/noto-sans-sc-latin-400-normal.woff2?url';
import chineseUrl from '@fontsource/noto-sans-sc/files/noto-sans-sc-chinese-simplified-400-normal.woff2?url';

/**
 * MapLibre's `font-faces` (GL JS 6): label text is rasterised in the browser
 * from these files, so the style needs no `glyphs` URL. Latin letters and
 * digits come from the small Latin file; everything else (Chinese) from the
 * simplified-Chinese file. A character in neither falls back to a local font,
 * still without a request leaving the hub.
 */
export function mapFontFaces(origin: string): FontFacesSpecification {
  return {
    [MAP_FONT]: [
      { url: new URL(latinUrl, origin).href, 'unicode-range': ['U+0000-00FF', 'U+2000-206F', 'U+20AC', 'U+2212'] },
      { url: new URL(chineseUrl, origin).href },
    ],
  };
}
