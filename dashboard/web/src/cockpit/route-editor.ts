import type { Layer } from '@deck.gl/core';
import type { PatrolRoute } from '@linli/contract';
import { can, type Role } from '@linli/contract/browser';
import type { Api } from '../api.js';
import type { AreaTree } from '../area-tree.js';
import { t } from '../i18n.js';
import { routeDraftLayers } from '../layers/route-draft-layer.js';
import { RouteDraft } from './route-draft.js';
import { MISSING_TEXT, routeErrorText } from './route-errors.js';
import './route-editor.css';

/** What the cockpit asks of the editor: clicks on the map while drawing, its layers, the area shown. */
export interface RouteEditor {
  /** True while a route is being drawn: map clicks place points instead of drilling or picking. */
  drawing(): boolean;
  /** A click on the map at this position; true when the editor took it. */
  click(lng: number, lat: number): boolean;
  setArea(code: string): void;
  layers(): Layer[];
}

const NONE: RouteEditor = { drawing: () => false, click: () => false, setArea: () => {}, layers: () => [] };

const button = (id: string, text: string) => {
  const b = document.createElement('button');
  b.type = 'button';
  b.id = id;
  b.textContent = text;
  return b;
};

/**
 * Patrol routes defined in the cockpit (巡逻线路、定点签到; docs/field.md):
 * for a grid of the selected area (picking one shows it on the map), its
 * routes with 停用 (DELETE, confirmed inline), and 新建巡查路线 (the map
 * shows the grid): a name, check-in points clicked on the map in
 * order (refused outside the grid), undo, names to edit, save (POST). Only
 * for roles with `field_plan`; for the others nothing is mounted at all.
 */
export function mountRouteEditor(
  after: HTMLElement,
  o: {
    api: Api;
    tree: AreaTree;
    role: Role;
    area: string;
    onChange: () => void;
    /** Show this grid on the map: a grid picked in the list, or the one a new route is drawn in. */
    focusGrid: (code: string) => void;
  },
): RouteEditor {
  if (!can(o.role, 'field_plan')) return NONE;
  const host = document.createElement('section');
  host.id = 'route-editor';
  host.className = 'route-editor';
  after.after(host);
  let area = o.area;
  let grid: string | null = null;
  let routes: PatrolRoute[] = [];
  let draft: RouteDraft | null = null;
  let confirming: string | null = null;
  let message = '';
  // Rebuilt only when what they draw changed, not at every redraw of the cockpit (the pulse runs at 10 fps).
  let drawn: Layer[] | null = null;
  const changed = () => {
    drawn = null;
    o.onChange();
  };

  const grids = () => (['grid', 'community'].includes(o.tree.level(area) ?? '') ? o.tree.grids(area) : []);
  const say = (text: string) => {
    message = text;
    render();
  };

  const load = async () => {
    try {
      routes = (await o.api.get('/api/field/routes')).routes;
    } catch (err) {
      message = routeErrorText(err);
    }
    render();
    changed();
  };

  const start = async () => {
    if (!grid) return;
    await o.tree.loadRings(grid);
    const ring = o.tree.ring(grid);
    if (!ring) return say(t('网格边界尚未载入，请稍后再试', 'The grid’s outline is not loaded yet; try again'));
    draft = new RouteDraft(grid, ring, (n) => t(`签到点${n}`, `Check-in point ${n}`));
    o.focusGrid(grid);
    say(t('在地图上依次点选网格内的签到点', 'Click the check-in points inside the grid on the map, in order'));
    changed();
  };

  const save = async () => {
    if (!draft) return;
    const r = draft.toInput();
    if (!r.ok) return say(MISSING_TEXT[r.missing]());
    try {
      await o.api.post('/api/field/routes', r.input);
      draft = null;
      message = t(`已保存路线「${r.input.name}」`, `Saved route “${r.input.name}”`);
    } catch (err) {
      return say(routeErrorText(err));
    }
    await load();
  };

  const retire = async (id: string) => {
    confirming = null;
    try {
      await o.api.del(`/api/field/routes/${encodeURIComponent(id)}`);
      message = t('路线已停用', 'Route retired');
    } catch (err) {
      message = routeErrorText(err);
    }
    await load();
  };

  function render() {
    const list = grids();
    if (grid && !list.includes(grid)) grid = null;
    grid ??= list[0] ?? null;
    host.hidden = !grid;
    host.replaceChildren();
    if (!grid) return;
    const h = document.createElement('h2');
    h.textContent = t('巡查路线', 'Patrol routes');
    host.append(h);
    if (list.length > 1) {
      const pick = document.createElement('select');
      pick.id = 'route-grid';
      pick.disabled = draft !== null;
      for (const g of list) pick.append(new Option(o.tree.name(g), g, false, g === grid));
      // Another grid: its routes as the hub has them now (another planner may have changed them).
      pick.addEventListener('change', () => {
        grid = pick.value;
        o.focusGrid(grid);
        void load();
      });
      host.append(pick);
    } else {
      const p = document.createElement('p');
      p.textContent = `${t('网格', 'Grid')}：${o.tree.name(grid)}`;
      host.append(p);
    }
    const ul = document.createElement('ul');
    ul.id = 'route-list';
    for (const r of routes.filter((x) => x.gridId === grid)) {
      const li = document.createElement('li');
      li.dataset.route = r.id;
      li.textContent = `${r.name} · ${t(`${r.points.length} 个签到点`, `${r.points.length} points`)} `;
      if (confirming === r.id) {
        const yes = button('', t('确认停用', 'Confirm retire'));
        yes.className = 'route-retire-confirm danger';
        yes.addEventListener('click', () => void retire(r.id));
        const no = button('', t('取消', 'Cancel'));
        no.addEventListener('click', () => ((confirming = null), render()));
        li.append(yes, no);
      } else {
        const b = button('', t('停用', 'Retire'));
        b.className = 'route-retire';
        b.addEventListener('click', () => ((confirming = r.id), render()));
        li.append(b);
      }
      ul.append(li);
    }
    if (!ul.childElementCount)
      ul.append(Object.assign(document.createElement('li'), { textContent: t('暂无路线', 'No routes yet') }));
    host.append(ul);
    if (draft) renderDraft(draft);
    else {
      const b = button('route-new', t('新建巡查路线', 'New patrol route'));
      b.addEventListener('click', () => void start());
      host.append(b);
    }
    const msg = document.createElement('p');
    msg.id = 'route-msg';
    msg.className = 'route-msg';
    msg.setAttribute('role', 'status');
    msg.textContent = message;
    host.append(msg);
  }

  function renderDraft(d: RouteDraft) {
    const name = document.createElement('input');
    name.id = 'route-name';
    name.maxLength = 64;
    name.placeholder = t('路线名称', 'Route name');
    name.value = d.name;
    name.addEventListener('input', () => (d.name = name.value));
    const ol = document.createElement('ol');
    ol.id = 'route-points';
    d.points.forEach((p, i) => {
      const input = document.createElement('input');
      input.maxLength = 64;
      input.value = p.name;
      input.dataset.point = String(i + 1);
      input.addEventListener('input', () => d.rename(i, input.value));
      const li = document.createElement('li');
      li.append(input);
      ol.append(li);
    });
    const undo = button('route-undo', t('撤回上一点', 'Undo last point'));
    undo.disabled = d.points.length === 0;
    undo.addEventListener('click', () => (d.undo(), render(), changed()));
    const saveButton = button('route-save', t('保存', 'Save'));
    saveButton.addEventListener('click', () => void save());
    const cancel = button('route-cancel', t('取消', 'Cancel'));
    cancel.addEventListener('click', () => ((draft = null), (message = ''), render(), changed()));
    const row = document.createElement('div');
    row.className = 'route-actions';
    row.append(undo, saveButton, cancel);
    host.append(name, ol, row);
  }

  render();
  void load();
  return {
    drawing: () => draft !== null,
    click(lng, lat) {
      if (!draft) return false;
      const added = draft.add(lng, lat);
      if (added === 'outside')
        message = t(
          `该点不在网格「${o.tree.name(draft.gridId)}」内，未添加`,
          `That point lies outside grid ${o.tree.name(draft.gridId)}; not added`,
        );
      else if (added === 'full') message = t('一条路线最多 50 个签到点', 'A route has at most 50 points');
      else message = '';
      render();
      changed();
      return true;
    },
    setArea(code) {
      area = code;
      if (draft && !grids().includes(draft.gridId)) draft = null;
      render();
      changed();
    },
    layers: () =>
      (drawn ??= grid
        ? routeDraftLayers(
            draft?.points ?? [],
            routes.filter((r) => r.gridId === grid).map((r) => r.points),
          )
        : []),
  };
}
