import { t } from '../i18n.js';
import { legendBox, note, swatch } from './legend-parts.js';

/** Patrol tracks: the trail and the worker's position at the slider's time. */
export function patrolsLegend(): HTMLElement {
  return legendBox(
    'patrols',
    t('巡查轨迹', 'Patrol tracks'),
    swatch('patrols-trail', [120, 255, 220], t('近1小时轨迹（渐隐）', 'last hour of track (fading)'), 'line'),
    swatch('patrols-head', [120, 255, 220], t('网格员位置', 'grid worker')),
    note(t('示意数据', 'Demo data')),
  );
}
