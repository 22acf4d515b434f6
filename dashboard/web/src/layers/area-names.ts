import type { LabelWish } from './label-placement.js';

/** An area that may carry its name on the map: [west, south, east, north] and where the name goes. */
export interface NamedArea {
  code: string;
  parent: string | null;
  name: string;
  level: NamedLevel;
  position: [number, number];
  bbox: [number, number, number, number];
}

export type NamedLevel = 'district' | 'street' | 'community';

/** Type size and placement priority per level: a coarser name is larger and placed first. */
export const NAME_STYLE: Record<NamedLevel, { size: number; priority: number }> = {
  district: { size: 22, priority: 70 },
  street: { size: 20, priority: 60 },
  community: { size: 18, priority: 50 },
};

/**
 * How wide and tall an area must be on screen against its name (its width,
 * its line's height) for the name to be drawn. Names may spill over their
 * area's edge, as names of small places do on any map (several of the demo
 * city's communities are narrower than their names at the zoom it opens
 * at), but not over a block of areas so small that one name would lie
 * across several neighbours: a city of 1,500 communities seen whole has them
 * at about a third of their names' widths.
 */
const MIN_SHARE = 0.5;

/**
 * The area names worth drawing at this scale: an area is named where its box
 * on screen is at least half as wide as its name and half as tall, and
 * none of the areas inside it that carry names is. That is the finest level
 * that reads, branch by branch: a wall showing a whole city of 1,500
 * communities names its streets (or, further out, its districts) instead of a
 * block of community names, and the communities take over from the zoom at
 * which they have room.
 *
 * `pxPerDegree` is the view's scale at its centre ([x per degree of longitude,
 * y per degree of latitude]); across one city's latitude it changes by a few
 * per cent.
 */
export function areaNames(
  areas: readonly NamedArea[],
  pxPerDegree: [number, number],
  measure: (text: string, size: number) => number,
): LabelWish[] {
  const fits = (a: NamedArea) => {
    const { size } = NAME_STYLE[a.level];
    const width = (a.bbox[2] - a.bbox[0]) * pxPerDegree[0];
    const height = (a.bbox[3] - a.bbox[1]) * pxPerDegree[1];
    return width >= MIN_SHARE * measure(a.name, size) && height >= MIN_SHARE * size;
  };
  const fitting = areas.filter(fits);
  const holdsNamedArea = new Set(fitting.map((a) => a.parent));
  return fitting
    .filter((a) => !holdsNamedArea.has(a.code))
    .map((a) => ({ layer: 'area-names' as const, position: a.position, text: a.name, ...NAME_STYLE[a.level] }));
}
