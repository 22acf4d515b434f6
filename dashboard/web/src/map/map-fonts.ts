import type { FontFacesSpecification } from 'maplibre-gl';
import { MAP_FONT } from './basemap-style.js';
// The same files the page's CSS loads (bundled by Vite, served by the hub): no glyph server anywhere.
import faceCss from '@fontsource/noto-sans-sc/400.css?raw';
import { fontFaceSlices } from './font-slices.js';

const files = import.meta.glob<string>('../../../../node_modules/@fontsource/noto-sans-sc/files/*-400-normal.woff2', {
  query: '?url',
  import: 'default',
  eager: true,
});

/**
 * MapLibre's `font-faces` (GL JS 6): label text is rasterised in the browser
 * from Noto Sans SC's own slices, each with its unicode range, as the page's
 * CSS loads them. All of them together cover every CJK character a Chinese
 * place name uses (浍, 埇, 砀 …), not only the common-characters subset, and
 * only the slices a label needs are fetched, from the hub.
 */
export function mapFontFaces(origin: string): FontFacesSpecification {
  const byName = new Map(Object.entries(files).map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1), url]));
  return {
    [MAP_FONT]: fontFaceSlices(faceCss).flatMap((slice) => {
      const url = byName.get(slice.file);
      return url ? [{ url: new URL(url, origin).href, 'unicode-range': slice.ranges }] : [];
    }),
  };
}
