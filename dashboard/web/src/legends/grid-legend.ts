import { formatCount, t } from '../i18n.js';
import { NO_VALUE_FILL, RAMP_STOPS } from '../layers/cockpit-layers.js';
import type { Measure } from '../view-state.js';
import { legendBox, note, ramp, swatch } from './legend-parts.js';

/** Grid colouring: what the ramp measures, from 0 to the highest grid shown. */
export function gridLegend(measure: Measure, max: number): HTMLElement {
  const title = {
    alerts: t('网格着色：未办结告警', 'Grids: open alerts'),
    population: t('网格着色：重点人群', 'Grids: key population'),
    coverage: t('网格着色：15分钟服务缺口', 'Grids: 15-min service gap'),
  }[measure];
  const high =
    measure === 'coverage'
      ? t('100% 未覆盖', '100% unserved')
      : `${formatCount(Math.round(max))}${measure === 'alerts' ? t(' 条', '') : t(' 人', '')}`;
  const low = measure === 'coverage' ? t('0% 全覆盖', '0% (all served)') : '0';
  return legendBox(
    'grids',
    title,
    ramp(`grids-${measure}`, RAMP_STOPS, low, high),
    ...(measure === 'alerts' ? [] : [swatch('grids-none', NO_VALUE_FILL, t('无数据', 'no data'), 'square')]),
    ...(measure === 'population'
      ? [note(t('小于5的格子不公布，按范围中值着色', 'Cells under 5 are hidden; coloured by the middle of the range'))]
      : []),
  );
}
