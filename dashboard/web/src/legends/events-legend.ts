import { t } from '../i18n.js';
import { SEVERITY_COLOR } from '../layers/live-events-layer.js';
import { legendBox, swatch } from './legend-parts.js';

/** Live events by severity; alarms pulse for a minute after they arrive. */
export function eventsLegend(): HTMLElement {
  return legendBox(
    'events',
    t('实时事件（按级别）', 'Live events (by severity)'),
    swatch('events-critical', SEVERITY_COLOR.critical, t('紧急', 'critical')),
    swatch('events-warning', SEVERITY_COLOR.warning, t('警告', 'warning')),
    swatch('events-notice', SEVERITY_COLOR.notice, t('提示', 'notice')),
    swatch('events-info', SEVERITY_COLOR.info, t('信息', 'info')),
  );
}
