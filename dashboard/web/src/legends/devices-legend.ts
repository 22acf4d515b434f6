import { t } from '../i18n.js';
import { DEVICE_COLOURS } from '../layers/cockpit-layers.js';
import { legendBox, note, swatch } from './legend-parts.js';

/** Device status: one symbol per community gateway. */
export function devicesLegend(): HTMLElement {
  return legendBox(
    'devices',
    t('设备状态（社区网关）', 'Devices (community gateways)'),
    swatch('devices-online', DEVICE_COLOURS.online, t('在线', 'online')),
    swatch('devices-offline', DEVICE_COLOURS.offline, t('离线', 'offline')),
    swatch('devices-alarm', DEVICE_COLOURS.alarmRing, t('有未办结告警', 'open alert'), 'ring'),
    note(t('符号越大，待回传积压越多', 'Larger symbol: larger backlog to deliver')),
  );
}
