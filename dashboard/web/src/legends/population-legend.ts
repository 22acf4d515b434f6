import { t } from '../i18n.js';
import { legendBox, note, swatch } from './legend-parts.js';

/** Key-population counts: what the yellow numbers are, and why some are ranges. */
export function populationLegend(): HTMLElement {
  return legendBox(
    'population',
    t('重点人群', 'Key populations'),
    swatch('population-count', [255, 236, 170], t('重点 N：区域内重点人群人数', 'key N: people in the area'), 'square'),
    note(
      t(
        '按当前层级汇总；小于5的数已隐去，故显示为范围',
        'Summed at the level shown; counts under 5 are hidden, so ranges',
      ),
    ),
  );
}
