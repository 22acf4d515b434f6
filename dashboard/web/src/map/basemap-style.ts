import type {
  ExpressionSpecification,
  FontFacesSpecification,
  LayerSpecification,
  Map as MapLibreMap,
  StyleSpecification,
} from 'maplibre-gl';
import { AREA_LAYERS } from './base-style.js';

/** The one font name the basemap styles use in `text-font`; map-fonts.ts says which files draw it. */
export const MAP_FONT = 'Noto Sans SC Regular';

export type Theme = 'dark' | 'light';
export const THEMES: readonly Theme[] = ['dark', 'light'];
export const THEME_LABEL: Record<Theme, string> = { dark: '深色', light: '浅色' };

/** The hub's basemap description, or null when it serves none (the map then shows areas on a plain ground). */
export async function fetchBasemapInfo(): Promise<BasemapInfo | null> {
  // No basemap served (or unreachable): the map falls back to the area polygons alone.
  const res = await fetch('/basemap/tiles.json').catch(() => null);
  return res?.ok ? ((await res.json()) as BasemapInfo) : null;
}

/** What the hub's /basemap/tiles.json says (see dashboard/src/http/basemap-route.ts). */
export interface BasemapInfo {
  tiles: string[];
  minzoom: number;
  maxzoom: number;
  bounds: [number, number, number, number];
  schema: 'linli' | 'openmaptiles' | 'unknown';
}

interface Palette {
  background: string;
  land: string;
  park: string;
  water: string;
  primary: string;
  casing: string;
  residential: string;
  path: string;
  text: string;
  halo: string;
  waterText: string;
  parkText: string;
  communityFill: string;
  communityFillOpacity: number;
  communityLine: string;
  gridLine: string;
}

/** Dark command-center (the default, for wall displays) and light (for desks and print). */
const PALETTES: Record<Theme, Palette> = {
  dark: {
    background: '#07101f',
    land: '#0b1a30',
    park: '#0e3a30',
    water: '#0c3560',
    primary: '#2b4d7e',
    casing: '#040a15',
    residential: '#1b3356',
    path: '#1a2d4a',
    text: '#a9c8f5',
    halo: '#07101f',
    waterText: '#6fb7ff',
    parkText: '#7fd6a8',
    communityFill: '#123a6b',
    communityFillOpacity: 0.55,
    communityLine: '#3fb6ff',
    gridLine: '#2c5f9e',
  },
  light: {
    background: '#eef1f5',
    land: '#e2e6ed',
    park: '#cfe8cf',
    water: '#a6cbef',
    primary: '#ffffff',
    casing: '#9aa6b8',
    residential: '#cfd6e2',
    path: '#dde2ea',
    text: '#334155',
    halo: '#ffffff',
    waterText: '#1f5fa8',
    parkText: '#2e7d4f',
    communityFill: '#3b82f6',
    communityFillOpacity: 0.12,
    communityLine: '#1d6fd1',
    gridLine: '#7aa2dc',
  },
};

/** Layer ids the cockpit and its tests read. */
export const BASEMAP_LAYER_IDS = {
  water: 'bm-water',
  streets: 'bm-street',
  streetLabels: 'bm-street-label',
  placeLabels: 'bm-place-label',
} as const;

const SOURCE = 'basemap';
const text = (p: Palette) => ({ 'text-color': p.text, 'text-halo-color': p.halo, 'text-halo-width': 1.5 });
const width = (base: number) =>
  ['interpolate', ['exponential', 1.6], ['zoom'], 12, base * 0.4, 16, base * 2.5] as unknown as number;

/** Our own layer names (geo/src/basemap/layers.ts). Community names are drawn by deck.gl above everything. */
function linliLayers(p: Palette): LayerSpecification[] {
  const kindWidth: ExpressionSpecification = ['match', ['get', 'kind'], 'primary', 6, 'residential', 3, 1.5];
  return [
    {
      id: 'bm-landuse',
      type: 'fill',
      source: SOURCE,
      'source-layer': 'areas',
      filter: ['==', ['get', 'level'], 'community'],
      paint: { 'fill-color': p.land },
    },
    { id: 'bm-park', type: 'fill', source: SOURCE, 'source-layer': 'parks', paint: { 'fill-color': p.park } },
    {
      id: BASEMAP_LAYER_IDS.water,
      type: 'fill',
      source: SOURCE,
      'source-layer': 'water',
      paint: { 'fill-color': p.water },
    },
    {
      id: 'bm-street-casing',
      type: 'line',
      source: SOURCE,
      'source-layer': 'streets',
      filter: ['==', ['get', 'kind'], 'primary'],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': p.casing, 'line-width': width(8) },
    },
    {
      id: BASEMAP_LAYER_IDS.streets,
      type: 'line',
      source: SOURCE,
      'source-layer': 'streets',
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': ['match', ['get', 'kind'], 'primary', p.primary, 'residential', p.residential, p.path],
        'line-width': [
          'interpolate',
          ['exponential', 1.6],
          ['zoom'],
          12,
          ['*', 0.4, kindWidth],
          16,
          ['*', 2.5, kindWidth],
        ],
      },
    },
    {
      id: BASEMAP_LAYER_IDS.streetLabels,
      type: 'symbol',
      source: SOURCE,
      'source-layer': 'streets',
      filter: ['!=', ['get', 'kind'], 'path'],
      minzoom: 12,
      layout: { 'symbol-placement': 'line', 'text-field': ['get', 'name'], 'text-font': [MAP_FONT], 'text-size': 13 },
      paint: text(p),
    },
    {
      id: BASEMAP_LAYER_IDS.placeLabels,
      type: 'symbol',
      source: SOURCE,
      'source-layer': 'labels',
      filter: ['!=', ['get', 'kind'], 'community'],
      layout: { 'text-field': ['get', 'name'], 'text-font': [MAP_FONT], 'text-size': 14 },
      paint: { ...text(p), 'text-color': ['match', ['get', 'kind'], 'water', p.waterText, p.parkText] },
    },
    {
      id: 'bm-facility',
      type: 'circle',
      source: SOURCE,
      'source-layer': 'facilities',
      minzoom: 14,
      paint: {
        'circle-radius': 4,
        'circle-color': p.parkText,
        'circle-stroke-color': p.halo,
        'circle-stroke-width': 1,
      },
    },
    {
      id: 'bm-facility-label',
      type: 'symbol',
      source: SOURCE,
      'source-layer': 'facilities',
      minzoom: 15.5,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': [MAP_FONT],
        'text-size': 12,
        'text-offset': [0, 1.1],
        'text-anchor': 'top',
      },
      paint: text(p),
    },
  ];
}

/** The OpenMapTiles schema, as planetiler and tippecanoe's OpenMapTiles profiles write it: a customer's real city extract. */
function openMapTilesLayers(p: Palette): LayerSpecification[] {
  const name = ['coalesce', ['get', 'name:zh'], ['get', 'name:zh-Hans'], ['get', 'name']];
  return [
    {
      id: 'bm-landuse',
      type: 'fill',
      source: SOURCE,
      'source-layer': 'landuse',
      filter: ['in', ['get', 'class'], ['literal', ['residential', 'suburb', 'neighbourhood']]],
      paint: { 'fill-color': p.land },
    },
    { id: 'bm-park', type: 'fill', source: SOURCE, 'source-layer': 'park', paint: { 'fill-color': p.park } },
    {
      id: BASEMAP_LAYER_IDS.water,
      type: 'fill',
      source: SOURCE,
      'source-layer': 'water',
      paint: { 'fill-color': p.water },
    },
    {
      id: 'bm-waterway',
      type: 'line',
      source: SOURCE,
      'source-layer': 'waterway',
      paint: { 'line-color': p.water, 'line-width': 1.5 },
    },
    {
      id: BASEMAP_LAYER_IDS.streets,
      type: 'line',
      source: SOURCE,
      'source-layer': 'transportation',
      filter: [
        'match',
        ['get', 'class'],
        ['motorway', 'trunk', 'primary', 'secondary', 'tertiary', 'minor', 'service', 'path'],
        true,
        false,
      ],
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: {
        'line-color': [
          'match',
          ['get', 'class'],
          ['motorway', 'trunk', 'primary', 'secondary'],
          p.primary,
          ['path'],
          p.path,
          p.residential,
        ],
        'line-width': width(3),
      },
    },
    {
      id: BASEMAP_LAYER_IDS.streetLabels,
      type: 'symbol',
      source: SOURCE,
      'source-layer': 'transportation_name',
      minzoom: 13,
      layout: { 'symbol-placement': 'line', 'text-field': name, 'text-font': [MAP_FONT], 'text-size': 13 },
      paint: text(p),
    },
    {
      id: BASEMAP_LAYER_IDS.placeLabels,
      type: 'symbol',
      source: SOURCE,
      'source-layer': 'place',
      layout: { 'text-field': name, 'text-font': [MAP_FONT], 'text-size': 14 },
      paint: text(p),
    },
    {
      id: 'bm-water-label',
      type: 'symbol',
      source: SOURCE,
      'source-layer': 'water_name',
      layout: { 'text-field': name, 'text-font': [MAP_FONT], 'text-size': 13 },
      paint: { ...text(p), 'text-color': p.waterText },
    },
  ] as LayerSpecification[];
}

function layersFor(theme: Theme, schema: BasemapInfo['schema']): LayerSpecification[] {
  const p = PALETTES[theme];
  const background: LayerSpecification = {
    id: 'background',
    type: 'background',
    paint: { 'background-color': p.background },
  };
  if (schema === 'openmaptiles') return [background, ...openMapTilesLayers(p)];
  if (schema === 'linli') return [background, ...linliLayers(p)];
  return [background]; // An archive we do not know the layers of: the areas still draw on a plain ground.
}

/**
 * The whole style: the hub's vector tiles, label fonts from the cockpit's own
 * bundle, and no `glyphs` or `sprite` URL, so MapLibre asks nothing of the internet.
 */
export function basemapStyle(
  theme: Theme,
  info: BasemapInfo | null,
  origin: string,
  fontFaces: FontFacesSpecification,
): StyleSpecification {
  if (!info) return { version: 8, sources: {}, layers: layersFor(theme, 'unknown') };
  return {
    version: 8,
    'font-faces': fontFaces,
    sources: {
      [SOURCE]: {
        type: 'vector',
        // Not new URL(): it would percent-encode the {z}/{x}/{y} placeholders.
        tiles: info.tiles.map((t) => (t.startsWith('/') ? origin + t : t)),
        minzoom: info.minzoom,
        maxzoom: info.maxzoom,
        bounds: info.bounds,
      },
    },
    layers: layersFor(theme, info.schema),
  };
}

/**
 * Switches the theme in place (paint properties only), so the area layers and
 * the deck.gl overlay added after the style loaded stay as they are.
 */
type PaintName = Parameters<MapLibreMap['setPaintProperty']>[1];

export function applyTheme(map: MapLibreMap, theme: Theme, schema: BasemapInfo['schema']): void {
  for (const layer of layersFor(theme, schema)) {
    if (!map.getLayer(layer.id) || !('paint' in layer) || !layer.paint) continue;
    for (const [k, v] of Object.entries(layer.paint)) map.setPaintProperty(layer.id, k as PaintName, v);
  }
  const p = PALETTES[theme];
  const set = (id: string, k: PaintName, v: string | number) => map.getLayer(id) && map.setPaintProperty(id, k, v);
  set(AREA_LAYERS.communityFill, 'fill-color', p.communityFill);
  set(AREA_LAYERS.communityFill, 'fill-opacity', p.communityFillOpacity);
  set(AREA_LAYERS.communityLine, 'line-color', p.communityLine);
  set(AREA_LAYERS.gridLine, 'line-color', p.gridLine);
}
