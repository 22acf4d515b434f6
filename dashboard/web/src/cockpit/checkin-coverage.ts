import type { GetReply } from '@linli/contract';
import type { Api } from '../api.js';
import type { AreaTree } from '../area-tree.js';
import { t } from '../i18n.js';
import { checkinColour, checkinLegend } from '../legends/checkin-legend.js';
import { css } from '../legends/legend-parts.js';
import { coverageText } from '../review/field-figures.js';

type Row = GetReply<'/api/field/review'>['grids'][number];
const REFRESH_MS = 60_000;

/**
 * Check-in coverage per grid beside the map while the patrol layer is on
 * (定点签到): each grid of the selected area with the share of its route
 * points visited today, coloured as in its legend. From the evaluation
 * figures (GET /api/field/review), so only roles that oversee field work
 * see it; the hub refuses the others and the section stays hidden.
 */
export function mountCheckinCoverage(
  after: HTMLElement,
  api: Api,
  tree: AreaTree,
  inArea: (grid: string) => boolean,
): { render: () => void } {
  const host = document.createElement('section');
  host.id = 'checkin-coverage';
  host.className = 'field-panel checkin-coverage';
  host.hidden = true;
  after.after(host);
  const toggle = () => document.querySelector<HTMLInputElement>('input[data-layer="patrols"]');
  let rows: Row[] | null = null;
  let refused = false;
  let loading = false;

  const load = async () => {
    if (loading || refused) return;
    loading = true;
    const from = new Date().setHours(0, 0, 0, 0);
    try {
      rows = (await api.get('/api/field/review', { from, to: Date.now() })).grids;
    } catch (err) {
      if ((err as { status?: number }).status === 403) refused = true;
    } finally {
      loading = false;
    }
    render();
  };

  function render(): void {
    const on = toggle()?.checked === true;
    host.hidden = !on || refused || rows === null;
    if (on && rows === null) void load();
    if (host.hidden || !rows) return;
    const byGrid = new Map(rows.map((r) => [r.key, r]));
    const grids = tree.grids(tree.root).filter(inArea);
    const h = document.createElement('h3');
    h.textContent = t('各网格签到覆盖（今日）', 'Check-in coverage per grid (today)');
    const ul = document.createElement('ul');
    for (const code of grids) {
      const r = byGrid.get(code) ?? { points: 0, visited: 0 };
      const li = document.createElement('li');
      li.dataset.grid = code;
      li.dataset.share = r.points ? String(Math.round((r.visited / r.points) * 100)) : '';
      const chip = document.createElement('span');
      chip.className = 'chip';
      chip.style.background = css(checkinColour(r.points, r.visited));
      li.append(chip, `${tree.name(code)} · ${r.points ? coverageText(r) : t('未设签到点', 'no points')}`);
      ul.append(li);
    }
    // The legend under the heading, flat and wrapped: the list may scroll in the side column, the key must not.
    host.replaceChildren(h, checkinLegend(t('今日', 'today')), ul);
  }

  toggle()?.addEventListener('change', () => render());
  setInterval(() => {
    if (toggle()?.checked) void load();
  }, REFRESH_MS);
  return { render };
}
