import { t } from '../i18n.js';
import { CHECKIN_STEPS, NO_POINTS } from '../layers/checkin-steps.js';
import { legendBox, note, swatch } from './legend-parts.js';

/** What the check-in coverage colours mean: the grid colouring while the patrol layer is on, and the list's chips. */
export function checkinLegend(period: string): HTMLElement {
  return legendBox(
    'checkins',
    t('网格着色：签到覆盖', 'Grids: check-in coverage'),
    ...CHECKIN_STEPS.map((s) => swatch(`checkins-${s.entry}`, s.colour, t(s.zh, s.en), 'square')),
    swatch('checkins-no-points', NO_POINTS, t('未设签到点', 'no check-in points'), 'square'),
    note(t(`已签到点 / 路线签到点，${period}`, `points visited / points on the routes, ${period}`)),
  );
}
