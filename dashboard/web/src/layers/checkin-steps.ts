/**
 * Check-in coverage in four steps, not a ramp: a leader reads "half done" at a
 * glance, and 100 % must stand out. One table for the map's grid colouring,
 * the list under the field panel and their legend. No DOM, no i18n: pure.
 */
export type RGB = readonly [number, number, number];

export interface CheckinStep {
  entry: 'none' | 'low' | 'most' | 'all';
  colour: RGB;
  /** The highest share (visited / points) drawn in this step. */
  upTo: number;
  zh: string;
  en: string;
}

export const CHECKIN_STEPS: readonly CheckinStep[] = [
  { entry: 'none', colour: [230, 70, 60], upTo: 0, zh: '未签到', en: 'none visited' },
  { entry: 'low', colour: [255, 160, 40], upTo: 0.5, zh: '不足一半', en: 'under half' },
  { entry: 'most', colour: [240, 220, 60], upTo: 0.999, zh: '一半以上', en: 'half or more' },
  { entry: 'all', colour: [60, 200, 120], upTo: 1, zh: '全部签到', en: 'all visited' },
];

/** A grid without check-in points: nothing to cover, drawn apart from "none visited". */
export const NO_POINTS: RGB = [120, 130, 150];

/** The step of a share (visited / points) of check-in points visited, 0..1; null: the grid has no points. */
export function checkinStep(share: number | null): CheckinStep | null {
  if (share === null) return null;
  return CHECKIN_STEPS.find((s) => share <= s.upTo) ?? CHECKIN_STEPS[CHECKIN_STEPS.length - 1]!;
}

/** The colour of a share of check-in points visited, or NO_POINTS for null (a grid without points). */
export function checkinShareColour(share: number | null): RGB {
  return checkinStep(share)?.colour ?? NO_POINTS;
}

/** The share a grid's figures colour by: null without points. */
export const checkinShare = (points: number, visited: number): number | null => (points ? visited / points : null);

/** The colour of a grid's check-in coverage (visited of points), or NO_POINTS without points. */
export const checkinColour = (points: number, visited: number): RGB =>
  checkinShareColour(checkinShare(points, visited));
