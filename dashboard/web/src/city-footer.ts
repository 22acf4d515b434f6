import { t } from './i18n.js';

/** The active city as the hub reports it (GET /api/area-tree); null when no city is active. */
export interface CityInfo {
  version: number;
  name: string;
  demo: boolean;
}

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The footer of every view: 示意数据 only for the demo city (its places and
 * shapes are made up); an imported city shows its name and version; with no
 * active city, what an administrator must do.
 */
export function cityFooter(city: CityInfo | null, demoText: [string, string]): string {
  if (!city)
    return `<footer class="disclaimer no-city">${t(
      '尚未启用城市：请管理员导入区划（linli-hub city import 区划.geojson --activate，或管理页面“城市数据”）',
      'No active city: an administrator must import the areas (linli-hub city import areas.geojson --activate, or the admin page)',
    )}</footer>`;
  if (city.demo) return `<footer class="disclaimer">${t(...demoText)}</footer>`;
  return `<footer class="disclaimer city-name">${escape(city.name)} · ${t('版本', 'version')} ${city.version}</footer>`;
}
