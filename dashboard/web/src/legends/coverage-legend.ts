import { t } from '../i18n.js';
import { FACILITY_COLOUR } from '../layers/cockpit-layers.js';
import { legendBox, note, swatch } from './legend-parts.js';

const FACILITY_LABEL: Record<string, string> = {
  'elderly-care': t('养老服务', 'elderly care'),
  clinic: t('卫生服务站', 'clinic'),
  canteen: t('老年食堂', 'canteen'),
  convenience: t('便民商店', 'convenience store'),
  park: t('公园', 'park'),
};

/** Service coverage: facility types by colour and what the faint disc means. */
export function coverageLegend(types: readonly string[], minutes: number): HTMLElement {
  const shown = Object.keys(FACILITY_COLOUR).filter((k) => !types.length || types.includes(k));
  return legendBox(
    'coverage',
    t('服务覆盖', 'Service coverage'),
    ...shown.map((k) => swatch(`coverage-${k}`, FACILITY_COLOUR[k]!, FACILITY_LABEL[k] ?? k)),
    note(t(`淡色圆：步行${minutes}分钟可达范围`, `Faint disc: ${minutes}-minute walk`)),
  );
}
