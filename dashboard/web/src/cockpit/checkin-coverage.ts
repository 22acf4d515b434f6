import type { AreaTree } from '../area-tree.js';
import { t } from '../i18n.js';
import { checkinColour } from '../layers/checkin-steps.js';
import { css } from '../legends/legend-parts.js';
import { coverageText } from '../review/field-figures.js';
import type { CheckinFigures } from './checkin-figures.js';

const REFRESH_MS = 60_000;

/**
 * Check-in coverage per grid beside the map while the patrol layer is on
 * (定点签到): each grid of the selected area with the share of its route
 * points visited today, its chip coloured as the map colours the grid (the
 * legend is the map's, legends/checkin-legend.ts). Hidden for roles the hub
 * refuses the figures (CheckinFigures.refused).
 */
export function mountCheckinCoverage(
  after: HTMLElement,
  figures: CheckinFigures,
  tree: AreaTree,
  inArea: (grid: string) => boolean,
): { render: () => void } {
  const host = document.createElement('section');
  host.id = 'checkin-coverage';
  host.className = 'field-panel checkin-coverage';
  host.hidden = true;
  after.after(host);
  const toggle = () => document.querySelector<HTMLInputElement>('input[data-layer="patrols"]');

  function render(): void {
    const on = toggle()?.checked === true;
    host.hidden = !on || !figures.ready;
    if (on && figures.grids === null) void figures.load();
    const byGrid = figures.grids;
    if (host.hidden || !byGrid) return;
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
    host.replaceChildren(h, ul);
  }

  toggle()?.addEventListener('change', () => render());
  setInterval(() => {
    if (toggle()?.checked) void figures.load();
  }, REFRESH_MS);
  return { render };
}

/** What the map shows beside the pointer over a grid while it is coloured by check-in coverage: its name, `签到 2/3 · 67%`. */
export function checkinTip(figures: CheckinFigures, tree: AreaTree, grid: string): string[] {
  const r = figures.grids?.get(grid) ?? { points: 0, visited: 0 };
  return [
    tree.name(grid),
    r.points ? `${t('签到', 'check-ins')} ${coverageText(r)}` : t('未设签到点', 'no check-in points'),
  ];
}
