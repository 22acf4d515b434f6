import { formatCount, t } from '../i18n.js';
import { HEAT_COLORS } from '../layers/cockpit-layers.js';
import { legendBox, note, ramp } from './legend-parts.js';

/** The event heatmap: relative density, with how many events it was drawn from. */
export function heatLegend(total: number, window: string): HTMLElement {
  return legendBox(
    'heat',
    t('事件热力', 'Event heatmap'),
    ramp('heat-density', HEAT_COLORS, t('少', 'few'), t('多', 'many')),
    note(
      `${window} · ${t('共', '')}${formatCount(total)} ${t('条事件，约110米网格计数', 'events, counted per ~110 m cell')}`,
    ),
  );
}
