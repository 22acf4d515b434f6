import type { PickingInfo } from '@deck.gl/core';
import type { Role } from '@linli/contract/browser';
import type { AlertView } from '../alert-store.js';
import type { Boot } from '../boot.js';
import { formatCount, formatDateTime, mountLangToggle } from '../i18n.js';
import { Live } from '../live.js';
import { savedTheme, mountStyleToggle } from '../map/style-toggle.js';
import { renderFeed } from '../panels/event-feed.js';
import { renderGateways } from '../panels/gateway-status.js';
import { Stage } from '../stage.js';
import { type LayerId, readView, type ViewState, windowOf } from '../view-state.js';
import { renderAlertDetail, renderAlertList } from './alert-panel.js';
import { mountBreadcrumb } from './breadcrumb.js';
import { cockpitMarkup } from './cockpit-markup.js';
import { CockpitStore } from './cockpit-store.js';
import { LayerMemo } from '../layers/layer-memo.js';
import { mountLayerControls, WIN_LABEL } from './layer-controls.js';
import { renderAreaPanel as paintAreaPanel } from './area-panel.js';
import { AlertSources } from './alert-titles.js';
import { buildLayers, checkinColouring, gridValues, LayerData } from './overlays.js';
import { CheckinFigures } from './checkin-figures.js';
import { checkinTip } from './checkin-coverage.js';
import { mountMapTip } from './map-tip.js';
import { mountFieldPanel } from './field-panel.js';
import { mountRouteEditor, type RouteEditor } from './route-editor.js';
import { mountMaintenance } from '../maintenance/maintenance-panel.js';
import type { MaintenanceWatch } from '../maintenance/maintenance-watch.js';
import { renderLegends } from '../legends/legends.js';
import { countRedraw, onDevicePush, startRedrawCount } from '../redraw-cost.js';
import { setLink, startClock, state, markReadyWhenDrawn } from '../shell.js';
import { showCityChanged } from '../city-banner.js';

/**
 * The operator's cockpit: drill from city to grid with a breadcrumb, layers
 * to switch, the selected area's figures, alerts with the actions the role
 * allows, and a URL that reproduces all of it.
 */
export async function cockpitView(b: Boot): Promise<void> {
  document.body.className = 'view-cockpit';
  document.getElementById('app')!.innerHTML = cockpitMarkup(b);
  startClock();
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  state.theme = savedTheme();
  document.body.dataset.theme = savedTheme();
  state.basemap = b.basemap?.schema ?? null;
  mountStyleToggle($('link-dot').parentElement!, savedTheme(), (theme) => {
    state.theme = theme;
    document.body.dataset.theme = theme;
    stage.setTheme(theme);
  });
  mountLangToggle($('link-dot').parentElement!);

  const initial: ViewState = readView();
  if (!initial.area || !b.tree.reachable(initial.area)) initial.area = b.me.areaCode;
  // The one store of what is shown (cockpit-store.ts); the URL is derived from it.
  const store = new CockpitStore({
    view: initial,
    selectedAlert: null,
    patrolAt: initial.at ?? Math.min(61200, Math.max(28800, secondsToday())),
    fieldWorkers: [],
  });
  const view = store.view;
  const data = new LayerData(b.api);
  // Grid polygons come as vector tiles cut to this user's area (docs/hub.md "Area tiles"), found at boot.
  const gridTiles = b.tiles;
  let maint: MaintenanceWatch | null = null;
  // The field panel, mounted once the live socket exists (after live.start()).
  let field = { refresh: () => {} };
  // The patrol route editor (roles with field_plan), mounted with the field panel.
  let routes: RouteEditor | null = null;
  // Layer groups whose inputs did not change are not rebuilt; the counts are the redraw-cost measurement.
  const memo = new LayerMemo();
  startRedrawCount();
  // Today's check-in coverage per grid: the grid colouring while patrols are on, and the list under the field panel.
  const checkins = new CheckinFigures(b.api, () => {
    field.refresh();
    redraw();
  });
  const shownCheckins = () => (checkins.ready ? checkins.grids : null);

  const redraw = () => {
    const c = stage.map?.getCanvas();
    memo.begin();
    const drawing = buildLayers({
      tree: b.tree,
      live,
      data,
      area: view.area!,
      layers: view.layers,
      measure: view.measure,
      selectedAlert: store.model.selectedAlert,
      patrolAt: store.model.patrolAt,
      now: Date.now(),
      viewport: { width: c?.clientWidth ?? 1600, height: c?.clientHeight ?? 900 },
      maintenance: maint?.badges(b.tree, Date.now()),
      fieldWorkers: store.model.fieldWorkers,
      gridTiles,
      memo,
      checkins: shownCheckins(),
    });
    stage.setLayers([...drawing.layers, ...(routes?.layers() ?? [])], drawing.labels, drawing.obstacles);
    countRedraw(memo, stage);
    state.layers = [...view.layers];
    const byCheckins = checkinColouring({ layers: view.layers, checkins: shownCheckins() });
    state.gridColouring = byCheckins ? 'checkins' : 'measure';
    const [wFrom, wTo] = view.from !== null ? windowOf(view) : [0, 0];
    state.legends = renderLegends($('legends'), {
      layers: view.layers,
      measure: view.measure,
      gridMax: gridValues({ tree: b.tree, live, data, area: view.area!, measure: view.measure }).max,
      heatTotal: data.heatTotal,
      heatWindow: view.from !== null ? `${formatDateTime(wFrom)} – ${formatDateTime(wTo)}` : WIN_LABEL[view.win],
      facilityTypes: [...new Set(data.facilities.map((f) => f.type))],
      coverageMinutes: data.coverageMinutes,
      checkins: byCheckins,
    });
  };
  // A push changes the map only when a symbol changes (a gateway goes off line): only then is it drawn again.
  const devicePush = onDevicePush(() => redraw());
  const inArea = (grid: string) => grid === view.area || b.tree.isAncestor(view.area!, grid);
  /** The gateways of the area shown: those inside it, or the community gateway of a grid inside its community. */
  const gatewaysChanged = () => {
    const community = (g: { id: string; areaCode?: string | null }) => g.areaCode ?? g.id.replace(/^gw-/, '');
    const shown = live.gateways.filter((g) => inArea(community(g)) || b.tree.isAncestor(community(g), view.area!));
    state.gatewaysShown = shown.map((g) => g.id);
    $('gateways-scope').textContent = `${b.tree.name(view.area!)} · ${shown.length}/${live.gateways.length}`;
    renderGateways($<HTMLTableSectionElement>('gateways'), shown, (code) => b.tree.nodes.get(code)?.name);
  };

  const live = new Live(b.key, b.api, {
    onLink: setLink,
    onCounts: () => void ($('kpi-events').textContent = formatCount(live.eventsToday)),
    onEvents: (fresh) => {
      state.eventsReceived = live.eventsReceived;
      state.lastEvent = fresh[fresh.length - 1] ?? null;
      $('kpi-events').textContent = formatCount(live.eventsToday);
      renderFeed(
        $<HTMLOListElement>('feed'),
        fresh.filter((e) => inArea(e.location.gridId)),
        (g) => b.tree.name(g),
      );
    },
    onAlert: () => {
      alertsChanged();
    },
    onCityChanged: (msg) => void showCityChanged(msg),
    onGateways: (views) => {
      state.gateways = views.length;
      devicePush(views);
      gatewaysChanged();
      $('kpi-gateways').textContent = formatCount(views.filter((g) => g.connected).length);
    },
  });

  const sources = new AlertSources(b.api, () => alertsChanged());
  const alertsChanged = () => {
    const open = live.alerts.open().filter((a) => inArea(a.gridId));
    $('kpi-alarms').textContent = formatCount(open.length);
    const shown = live.alerts
      .all()
      .filter((a) => inArea(a.gridId) && (a.state !== 'resolved' || a.id === store.model.selectedAlert));
    sources.want(shown);
    const selectedAlert = store.model.selectedAlert;
    renderAlertList($<HTMLOListElement>('alerts'), shown, b.tree, selectedAlert, pickAlert, (a) => sources.title(a));
    state.alerts = Object.fromEntries(live.alerts.all().map((a) => [a.id, a.state]));
    if (selectedAlert) {
      const a = live.alerts.get(selectedAlert);
      const host = $('alert-detail');
      if (a && host.dataset.state !== a.state) void showDetail(a);
      // The title may have arrived after the detail opened (alert sources load in batches).
      const title = host.querySelector('h3 .title-text');
      if (a && title) title.textContent = sources.title(a);
    }
    renderAreaPanel();
    field.refresh();
    redraw();
  };
  const showDetail = (a: AlertView) =>
    renderAlertDetail($('alert-detail'), a, {
      api: b.api,
      role: b.me.role as Role,
      tree: b.tree,
      title: (x) => sources.title(x),
      onChanged: (x) => live.takeAlert(x),
      onClose: () => {
        $('alert-detail').hidden = true;
        store.selectAlert(null);
      },
    });
  const pickAlert = (id: string) => {
    const a = live.alerts.get(id);
    if (!a) return;
    void showDetail(a);
    stage.map.easeTo({ center: [a.lng, a.lat], duration: 600 });
    store.selectAlert(id);
  };

  const select = (code: string) => {
    if (b.tree.reachable(code)) store.selectArea(code);
  };
  // Subscribers run in this order: the breadcrumb, then the panels, the map and the lists.
  const breadcrumb = mountBreadcrumb($('breadcrumb'), b.tree, store, select);
  store.subscribe(['area'], () => {
    state.area = view.area;
    renderAreaPanel();
    const bounds = b.tree.bounds(view.area!);
    if (bounds) stage.fit(bounds);
    void b.tree.loadRings(view.area!).then(redraw); // a grid's outline
    gatewaysChanged();
    routes?.setArea(view.area!);
    alertsChanged();
  });
  store.subscribe(['selectedAlert'], () => alertsChanged());
  store.subscribe(['layers'], (c) => void layerSwitched(c.id));
  store.subscribe(['measure', 'patrolAt', 'fieldWorkers'], () => redraw());
  store.subscribe(['window'], () => void loadHeat());
  const onClick = (info: PickingInfo) => {
    // While a route is drawn a click places a point (onMapClick), it neither drills nor picks.
    if (routes?.drawing()) return;
    const layerId = info.layer?.id;
    if (layerId === 'alerts') return pickAlert((info.object as AlertView).id);
    if (layerId === 'grid-choropleth') {
      // A polygon of the GeoJSON layer carries `code`; a feature of the grid tiles carries it in `properties`.
      const o = info.object as { code?: string; properties?: { code?: string } };
      const grid = o.code ?? o.properties?.code ?? '';
      // One level down toward the grid that was clicked; a click inside the selected grid stays.
      const next = b.tree.childToward(view.area!, grid);
      if (next) select(next);
    }
  };

  const tip = mountMapTip($('map'));
  const onHover = (info: PickingInfo) => {
    const o = info.layer?.id === 'grid-choropleth' ? (info.object as { properties?: { code?: string } }) : undefined;
    const grid = o?.properties?.code ?? '';
    const byCheckins = checkinColouring({ layers: view.layers, checkins: shownCheckins() });
    tip.show(info.x, info.y, byCheckins && grid && inArea(grid) ? checkinTip(checkins, b.tree, grid) : null);
  };

  function renderAreaPanel() {
    paintAreaPanel($('area-panel'), view.area!, { tree: b.tree, live, data, maint, onSelect: select });
  }

  mountLayerControls(store);

  async function loadHeat() {
    if (!view.layers.includes('heat')) return;
    const [from, to] = windowOf(view);
    await data.loadHeat(from, to).catch((err: unknown) => console.warn('heatmap not loaded', err));
    state.heatCells = data.heat.count;
    state.heatTotal = data.heatTotal;
    redraw();
  }
  async function layerSwitched(id: LayerId) {
    $('patrol-row').hidden = !view.layers.includes('patrols');
    if (id === 'heat') await loadHeat();
    if (id === 'patrols' && view.layers.includes('patrols') && checkins.grids === null) void checkins.load();
    if (id === 'patrols' && view.layers.includes('patrols') && !data.patrols.length)
      await data.loadPatrols(Date.now()).catch((err: unknown) => console.warn('patrols not loaded', err));
    redraw();
  }

  await b.tree.loadRings(view.area!);
  state.gridTiles = gridTiles !== null;
  const stage = new Stage({
    host: $('map'),
    tree: b.tree,
    tiles: b.tiles,
    basemap: b.basemap,
    theme: savedTheme(),
    bounds: b.tree.bounds(view.area!)!,
    padding: { top: 90, bottom: 170, left: 340, right: 400 },
    preserveDrawingBuffer: false,
    onClick,
    onMapClick: (p) => routes?.click(p.lng, p.lat),
    onHover,
    // A (re)built map has a new deck.gl: it needs layers of its own, not the lost one's.
    onReady: () => {
      memo.forget();
      redraw();
    },
  });
  window.linli.stage = stage;
  // Population and coverage come in while the map starts (3 MB for a city of 15,000 grids), not after it.
  const statics = data.loadStatic();
  await stage.start();
  window.linli.map = stage.map;
  state.communities = b.tree.namedAreas().filter((a) => a.level === 'community').length;
  state.area = view.area;
  store.writeUrl();
  breadcrumb.render();
  await statics;
  renderAreaPanel();
  live.start();
  field = mountFieldPanel(
    $('field-panel'),
    b.api,
    live.socket,
    b.tree,
    inArea,
    (w) => store.setFieldWorkers(w),
    checkins,
  );
  routes = mountRouteEditor($('field-panel'), {
    ...{ api: b.api, tree: b.tree, role: b.me.role as Role, area: view.area! },
    onChange: () => redraw(),
    // At once, not animated: the planner's next clicks place points where the grid now is.
    focusGrid: (code) => {
      const bounds = b.tree.bounds(code);
      if (bounds) stage.fit(bounds, 0);
    },
  });
  window.linli.live = live;
  maint = mountMaintenance($('maintenance'), b, true, () => {
    renderAreaPanel();
    redraw();
  });
  window.linli.select = select;
  await layerSwitched('heat');
  if (view.layers.includes('patrols')) await layerSwitched('patrols');
  // Pulse animation at ~10 fps, only while something pulses or the feed has fresh dots.
  setInterval(() => {
    const now = Date.now();
    const pulsing = live.alerts.open().length > 0 || [...live.events.arrivedAt.values()].some((a) => now - a < 60_000);
    if (pulsing) redraw();
  }, 100);
  redraw();
  void markReadyWhenDrawn(stage, () => live.synced);
}

function secondsToday(): number {
  const d = new Date();
  return d.getHours() * 3600 + d.getMinutes() * 60;
}
