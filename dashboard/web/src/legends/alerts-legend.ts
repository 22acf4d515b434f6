import { t } from '../i18n.js';
import { legendBox, swatch } from './legend-parts.js';

/** Alert symbols by where the work stands (the colours of layers/cockpit-layers.ts alertStyle). */
export function alertsLegend(): HTMLElement {
  return legendBox(
    'alerts',
    t('告警（按处置状态）', 'Alerts (by state)'),
    swatch('alerts-raised-critical', [255, 60, 60], t('待派发 · 紧急（闪烁）', 'to dispatch · critical (pulsing)')),
    swatch('alerts-raised', [255, 140, 40], t('待派发', 'to dispatch')),
    swatch('alerts-dispatched', [255, 190, 40], t('已派发', 'dispatched')),
    swatch('alerts-acknowledged', [63, 182, 255], t('处置中', 'in hand')),
    swatch('alerts-resolved', [53, 208, 127], t('已办结', 'resolved')),
  );
}
