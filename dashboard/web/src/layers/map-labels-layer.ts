import { TextLayer } from '@deck.gl/layers';
import type { PlacedLabel } from './label-placement.js';

/** Light text on a dark halo for the dark style, the reverse for the light one; counts and badges in amber. */
const COLOURS = {
  dark: { text: [230, 240, 255, 255], outline: [7, 16, 31, 230], count: [255, 236, 170, 255] },
  light: { text: [20, 45, 90, 255], outline: [255, 255, 255, 230], count: [150, 80, 0, 255] },
} as const;

/**
 * One TextLayer per label kind, drawing only the labels placement kept, each
 * at its own offset. Chinese text in the bundled Noto Sans SC (no glyph server).
 */
export function mapLabelsLayer(id: PlacedLabel['layer'], labels: readonly PlacedLabel[], theme: 'dark' | 'light') {
  const c = COLOURS[theme];
  return new TextLayer<PlacedLabel>({
    id,
    data: labels,
    pickable: true,
    getPosition: (d) => d.position,
    getPixelOffset: (d) => d.offset,
    getText: (d) => d.text,
    characterSet: 'auto',
    fontFamily: '"Noto Sans SC", sans-serif',
    fontWeight: 700,
    getSize: (d) => d.size,
    sizeUnits: 'pixels',
    getColor: id === 'area-names' ? [...c.text] : [...c.count],
    outlineWidth: 3,
    outlineColor: [...c.outline],
    fontSettings: { sdf: true, buffer: 6 },
    parameters: { depthCompare: 'always' },
  });
}
