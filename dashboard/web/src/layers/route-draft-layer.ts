import { PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';

/** A check-in point as drawn: where it is and its number in the route (1-based). */
interface Numbered {
  position: [number, number];
  n: number;
}

type Lnglat = { lng: number; lat: number };

/**
 * The patrol routes of the grid being planned (cockpit/route-editor.ts): the
 * saved ones as thin grey paths with dots, the one being drawn as a bright
 * path through numbered points in click order. Drawn above everything else
 * (depthCompare always) so a point never hides under a grid fill.
 */
export function routeDraftLayers(draft: readonly Lnglat[], saved: readonly (readonly Lnglat[])[]) {
  const path = draft.map((p): [number, number] => [p.lng, p.lat]);
  const numbered: Numbered[] = path.map((position, i) => ({ position, n: i + 1 }));
  const savedPaths = saved.map((r) => r.map((p): [number, number] => [p.lng, p.lat]));
  const top = { parameters: { depthCompare: 'always' as const } };
  return [
    new PathLayer<[number, number][]>({
      id: 'route-saved',
      data: savedPaths,
      getPath: (p) => p,
      getColor: [200, 210, 225, 170],
      getWidth: 2,
      widthUnits: 'pixels',
      ...top,
    }),
    new ScatterplotLayer<[number, number]>({
      id: 'route-saved-points',
      data: savedPaths.flat(),
      getPosition: (p) => p,
      getRadius: 4,
      radiusUnits: 'pixels',
      getFillColor: [200, 210, 225, 200],
      ...top,
    }),
    new PathLayer<[number, number][]>({
      id: 'route-draft',
      data: path.length > 1 ? [path] : [],
      getPath: (p) => p,
      getColor: [0, 229, 255, 235],
      getWidth: 4,
      widthUnits: 'pixels',
      ...top,
    }),
    new ScatterplotLayer<Numbered>({
      id: 'route-draft-points',
      data: numbered,
      getPosition: (p) => p.position,
      getRadius: 11,
      radiusUnits: 'pixels',
      getFillColor: [0, 229, 255, 255],
      stroked: true,
      getLineColor: [7, 16, 31, 255],
      lineWidthMinPixels: 2,
      ...top,
    }),
    new TextLayer<Numbered>({
      id: 'route-draft-numbers',
      data: numbered,
      getPosition: (p) => p.position,
      getText: (p) => String(p.n),
      getSize: 13,
      sizeUnits: 'pixels',
      fontWeight: 700,
      getColor: [7, 16, 31, 255],
      ...top,
    }),
  ];
}
