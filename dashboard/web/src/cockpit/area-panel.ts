import type { AreaTree } from '../area-tree.js';
import { formatCount, LEVEL_LABEL, t } from '../i18n.js';
import type { Live } from '../live.js';
import { badge, type MaintenanceWatch, underMaintenance } from '../maintenance/maintenance-watch.js';
import { addRanges, type LayerData, rangeText } from './overlays.js';

export interface AreaPanelContext {
  tree: AreaTree;
  live: Live;
  data: LayerData;
  maint: MaintenanceWatch | null;
  onSelect: (code: string) => void;
}

/**
 * The selected area's name, level and figures, and the areas inside it as
 * buttons with their open alerts and key-population counts, each summed over
 * all the grids inside that area (the level shown, never one grid's figure).
 */
export function renderAreaPanel(panel: HTMLElement, code: string, x: AreaPanelContext): void {
  const grids = new Set(x.tree.grids(code));
  const open = x.live.alerts.open().filter((a) => grids.has(a.gridId));
  const popOf = (area: string) => {
    const inside = new Set(x.tree.grids(area));
    const rows = x.data.population.filter((p) => inside.has(p.gridCode));
    return rows.length ? addRanges(rows.map((p) => p.total)) : null;
  };
  const popRange = popOf(code) ?? { min: 0, max: 0 };
  const cov = x.data.coverage.filter((c) => grids.has(c.grid));
  const homes = cov.reduce((s, c) => s + c.homes, 0);
  const share = homes ? cov.reduce((s, c) => s + c.share * c.homes, 0) / homes : null;
  const now = Date.now();
  const underWindow = (c: string) => x.maint !== null && underMaintenance(x.maint.windows, c, now);
  panel.dataset.area = code;
  panel.innerHTML = `<h2></h2><p class="level"></p><dl class="figures"></dl><h3>${t('下级区域', 'Inside')}</h3><ul class="children"></ul>`;
  panel.querySelector('h2')!.textContent = x.tree.name(code);
  if (underWindow(code)) panel.querySelector('h2')!.append(badge());
  panel.querySelector('.level')!.textContent = `${LEVEL_LABEL[x.tree.level(code) ?? 'grid']} · ${code}`;
  const fig: [string, string, string][] = [
    [t('未办结告警', 'Open alerts'), formatCount(open.length), 'open-alerts'],
    [t('网格数', 'Grids'), formatCount(grids.size), 'grids'],
    [
      t('重点人群', 'Key population'),
      `${rangeText(popRange)}${popRange.min !== popRange.max ? t('（小于5的数已隐去，故为范围）', ' (counts under 5 hidden: a range)') : ''}`,
      'population',
    ],
    [t('15分钟服务覆盖', '15-min coverage'), share === null ? '–' : `${Math.round(share * 100)}%`, 'coverage'],
  ];
  panel.querySelector('.figures')!.replaceChildren(
    ...fig.flatMap(([k, v, id]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      dd.dataset.figure = id;
      return [dt, dd];
    }),
  );
  panel.querySelector('.children')!.replaceChildren(
    ...x.tree.children(code).map((c) => {
      const li = document.createElement('li');
      const btn = document.createElement('button');
      btn.type = 'button';
      btn.dataset.area = c;
      const n = x.live.alerts.open().filter((a) => a.gridId.startsWith(c)).length;
      const p = popOf(c);
      btn.textContent = `${x.tree.name(c)}${n ? ` · ${t('告警', 'alerts')} ${n}` : ''}${p ? ` · ${t('重点', 'key')} ${rangeText(p)}` : ''}`;
      btn.addEventListener('click', () => x.onSelect(c));
      if (underWindow(c)) btn.append(badge());
      li.append(btn);
      return li;
    }),
  );
}
