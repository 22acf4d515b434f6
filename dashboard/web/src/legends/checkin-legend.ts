import { t } from '../i18n.js';
import { legendBox, note, swatch } from './legend-parts.js';

type RGB = readonly [number, number, number];

/** Four steps, not a ramp: a leader reads "half done" at a glance, and 100 % must stand out. */
const STEPS: { entry: string; colour: RGB; upTo: number; zh: string; en: string }[] = [
  { entry: 'none', colour: [230, 70, 60], upTo: 0, zh: '未签到', en: 'none visited' },
  { entry: 'low', colour: [255, 160, 40], upTo: 0.5, zh: '不足一半', en: 'under half' },
  { entry: 'most', colour: [240, 220, 60], upTo: 0.999, zh: '一半以上', en: 'half or more' },
  { entry: 'all', colour: [60, 200, 120], upTo: 1, zh: '全部签到', en: 'all visited' },
];
/** A grid without check-in points: nothing to cover, drawn apart from "none visited". */
export const NO_POINTS: RGB = [120, 130, 150];

/** The colour of a grid's check-in coverage (visited / points), or NO_POINTS without points. */
export function checkinColour(points: number, visited: number): RGB {
  if (!points) return NO_POINTS;
  const share = visited / points;
  return (STEPS.find((s) => share <= s.upTo) ?? STEPS[STEPS.length - 1]!).colour;
}

/** What the coverage colours mean, under the patrol layer's figures. */
export function checkinLegend(period: string): HTMLElement {
  return legendBox(
    'checkins',
    t('签到覆盖', 'Check-in coverage'),
    ...STEPS.map((s) => swatch(`checkins-${s.entry}`, s.colour, t(s.zh, s.en), 'square')),
    swatch('checkins-no-points', NO_POINTS, t('未设签到点', 'no check-in points'), 'square'),
    note(t(`已签到点 / 路线签到点，${period}`, `points visited / points on the routes, ${period}`)),
  );
}
