import { TextLayer } from '@deck.gl/layers';
import type { AreaCollection } from '../hub-client.js';

export interface Label {
  name: string;
  position: [number, number];
}

/** Label anchor: the mean of the outer ring's vertices (communities are convex enough for that). */
export function communityLabels(areas: AreaCollection): Label[] {
  return areas.features
    .filter((f) => f.properties.level === 'community')
    .map((f) => {
      const ring = f.geometry.coordinates[0]!.slice(0, -1);
      const x = ring.reduce((a, p) => a + p[0], 0) / ring.length;
      const y = ring.reduce((a, p) => a + p[1], 0) / ring.length;
      return { name: f.properties.name, position: [x, y] as [number, number] };
    });
}

/** Light text on a dark halo for the dark style, the reverse for the light one. */
const LABEL_COLORS = {
  dark: { text: [230, 240, 255, 255], outline: [7, 16, 31, 230] },
  light: { text: [20, 45, 90, 255], outline: [255, 255, 255, 230] },
} as const;

/** Chinese community names, drawn with the bundled Noto Sans SC (no glyph server). */
export function createCommunityLabelsLayer(labels: Label[], theme: 'dark' | 'light' = 'dark') {
  const colors = LABEL_COLORS[theme];
  return new TextLayer<Label>({
    id: 'community-labels',
    data: labels,
    getPosition: (d) => d.position,
    getText: (d) => d.name,
    characterSet: 'auto',
    fontFamily: '"Noto Sans SC", sans-serif',
    fontWeight: 700,
    getSize: 18,
    sizeUnits: 'pixels',
    getColor: [...colors.text],
    outlineWidth: 3,
    outlineColor: [...colors.outline],
    fontSettings: { sdf: true, buffer: 6 },
    parameters: { depthCompare: 'always' },
  });
}
