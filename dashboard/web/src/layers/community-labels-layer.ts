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
