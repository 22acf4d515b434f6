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

/** Chinese community names, drawn with the bundled Noto Sans SC (no glyph server). */
export function createCommunityLabelsLayer(labels: Label[]) {
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
    getColor: [230, 240, 255, 255],
    outlineWidth: 3,
    outlineColor: [7, 16, 31, 230],
    fontSettings: { sdf: true, buffer: 6 },
    parameters: { depthCompare: 'always' },
  });
}
