import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { basemapStyle, type BasemapInfo, THEMES } from '../../web/src/map/basemap-style.js';

const info = (schema: BasemapInfo['schema']): BasemapInfo => ({
  tiles: ['/basemap/tiles/{z}/{x}/{y}.mvt'],
  minzoom: 10,
  maxzoom: 16,
  bounds: [116.9, 33.5, 117.1, 33.7],
  schema,
});
const fonts = { 'Noto Sans SC Regular': [{ url: 'http://127.0.0.1:1/assets/zh.woff2' }] };

describe('basemap styles', () => {
  for (const theme of THEMES)
    for (const schema of ['linli', 'openmaptiles', 'unknown'] as const)
      it(`${theme} style for the ${schema} schema passes MapLibre's style validator`, () => {
        const style = basemapStyle(theme, info(schema), 'http://127.0.0.1:8080', fonts);
        expect(validateStyleMin(style)).toEqual([]);
      });

  it('is checked by a validator that does find mistakes', () => {
    const style = basemapStyle('dark', info('openmaptiles'), 'http://127.0.0.1:8080', fonts);
    const broken = { ...style, layers: [...style.layers, { id: 'x', type: 'line', source: 'nowhere' }] };
    expect(validateStyleMin(broken as typeof style).length).toBeGreaterThan(0);
  });

  it('asks nothing of the internet: no glyphs or sprite URL, tiles and fonts on the hub', () => {
    const style = basemapStyle('dark', info('linli'), 'http://127.0.0.1:8080', fonts);
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(style.sources.basemap).toMatchObject({ tiles: ['http://127.0.0.1:8080/basemap/tiles/{z}/{x}/{y}.mvt'] });
    const symbols = style.layers.filter((l) => l.type === 'symbol');
    expect(symbols.length).toBeGreaterThan(0);
    for (const l of symbols) expect(l.layout?.['text-font']).toEqual(['Noto Sans SC Regular']);
  });

  it('without a basemap from the hub, draws only the ground', () => {
    expect(basemapStyle('light', null, 'http://127.0.0.1:8080', fonts).layers.map((l) => l.id)).toEqual(['background']);
  });
});
