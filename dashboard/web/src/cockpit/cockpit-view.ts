import type { PickingInfo } from '@deck.gl/core';
import type { Role } from '../../../src/auth/roles.js';
import type { AlertView } from '../alert-store.js';
import type { Boot } from '../boot.js';
import { formatCount, formatDateTime, mountLangToggle, t } from '../i18n.js';
import { Live } from '../live.js';
import { savedTheme, mountStyleToggle } from '../map/style-toggle.js';
import { renderFeed } from '../panels/event-feed.js';
import { renderGateways } from '../panels/gateway-status.js';
import { Stage } from '../stage.js';
import {
  LAYER_IDS,
  type LayerId,
  MEASURES,
  readView,
  type ViewState,
  WINDOWS,
  windowOf,
  writeView,
} from '../view-state.js';
import { renderAlertDetail, renderAlertList } from './alert-panel.js';
import { renderAreaPanel as paintAreaPanel } from './area-panel.js';
import { AlertSources } from './alert-titles.js';
import { buildLayers, gridValues, LayerData } from './overlays.js';
import { mountFieldPanel } from './field-panel.js';
import type { FieldWorkerView } from '../layers/field-workers-layer.js';
import { mountMaintenance } from '../maintenance/maintenance-panel.js';
import type { MaintenanceWatch } from '../maintenance/maintenance-watch.js';
import { renderLegends } from '../legends/legends.js';
import { setLink, startClock, state, markReadyWhenDrawn } from '../shell.js';
import { showCityChanged } from '../city-banner.js';
import { cityFooter } from '../city-footer.js';

const LAYER_LABEL: Record<LayerId, string> = {
  grids: t('网格专题', 'Grids'),
  population: t('重点人群', 'Key populations'),
  alerts: t('告警', 'Alerts'),
  events: t('实时事件', 'Live events'),
  heat: t('事件热力', 'Event heatmap'),
  coverage: t('服务覆盖', 'Service coverage'),
  devices: t('设备状态', 'Devices'),
  patrols: t('巡查轨迹', 'Patrol tracks'),
};
const WIN_LABEL = {
  '1h': t('近1小时', 'last hour'),
  '24h': t('近24小时', 'last 24 h'),
  '7d': t('近7天', 'last 7 days'),
  '30d': t('近30天', 'last 30 days'),
};
const MEASURE_LABEL = {
  alerts: t('按告警', 'by alerts'),
  population: t('按重点人群', 'by key population'),
  coverage: t('按覆盖缺口', 'by coverage gap'),
};

/**
 * The operator's cockpit: drill from city to grid with a breadcrumb, layers
 * to switch, the selected area's figures, alerts with the actions the role
 * allows, and a URL that reproduces all of it.
 */
export async function cockpitView(b: Boot): Promise<void> {
  document.body.className = 'view-cockpit';
  document.getElementById('app')!.innerHTML = `
    <header class="topbar">
      <div class="brand"><span class="logo">${t('邻里', 'Linli')}</span><nav id="breadcrumb" class="breadcrumb" aria-label="${t('区域导航', 'Area')}"></nav></div>
      <div class="kpis">
        <div class="kpi"><span class="kpi-label">${t('今日事件', 'Events today')}</span><span id="kpi-events" class="kpi-value">0</span></div>
        <div class="kpi"><span class="kpi-label">${t('未办结告警', 'Open alerts')}</span><span id="kpi-alarms" class="kpi-value alarm">0</span></div>
        <div class="kpi"><span class="kpi-label">${t('在线网关', 'Gateways online')}</span><span id="kpi-gateways" class="kpi-value">0</span></div>
      </div>
      <div class="status">
        <a class="nav" href="/wall">${t('大屏', 'Wall')}</a><a class="nav" href="/review">${t('研判', 'Review')}</a>${b.me.role === 'admin' ? `<a class="nav" href="/city">${t('城市数据', 'City data')}</a>` : ''}
        <span id="link-dot" class="dot"></span><span id="link-text">${t('连接中…', 'connecting…')}</span><span id="clock" class="clock"></span>
      </div>
    </header>
    <main>
      <section id="map" aria-label="${t('社区地图', 'Map')}"></section>
      <aside class="side left">
        <section class="layers"><h2>${t('图层', 'Layers')}</h2><div id="layers"></div>
          <label>${t('网格着色', 'Colour grids')} <select id="measure"></select></label>
          <label>${t('热力时段', 'Heatmap window')} <select id="win"></select></label>
          <label id="patrol-row" hidden>${t('巡查时刻', 'Patrol time')} <input id="patrol-time" type="range" min="28800" max="61200" step="300" /> <output id="patrol-out"></output></label>
        </section>
        <section id="area-panel" class="area-panel"></section>
        <section id="field-panel" class="field-panel" hidden></section>
        <section class="gateways">
          <h2>${t('网关状态', 'Gateways')} <span id="gateways-scope" class="scope"></span></h2>
          <table><colgroup><col class="name" /><col class="link" /><col span="3" class="num" /><col class="gb" /></colgroup>
            <thead><tr><th>${t('社区网关', 'Gateway')}</th><th>${t('链路', 'Link')}</th><th class="num">${t('积压', 'Backlog')}</th><th class="num" title="${t('回传速率（条/秒）', 'Replay rate (events/s)')}">${t('回传', 'Replay')}</th><th class="num">${t('设备', 'Devices')}</th><th class="gb" title="GB/T 28181">${t('国标', 'GB28181')}</th></tr></thead><tbody id="gateways"></tbody></table>
        </section>
      </aside>
      <aside class="side right">
        <section id="maintenance" class="maintenance" hidden><h2>${t('维护窗口', 'Maintenance')}</h2><ol></ol></section>
        <section class="alerts"><h2>${t('告警', 'Alerts')}</h2><ol id="alerts"></ol></section>
        <section id="alert-detail" class="alert-detail" hidden></section>
        <section class="feed"><h2>${t('实时事件', 'Live events')}</h2><ol id="feed"></ol></section>
      </aside>
      <aside id="legends" class="legends" aria-label="${t('图例', 'Legend')}"></aside>
      <div id="notice" class="notice" hidden></div>
      ${cityFooter(b.city, ['示意数据：社区位置、边界与巡查轨迹为演示虚构', 'Demo data: places, boundaries and patrol tracks are made up'])}
    </main>`;
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

  const view: ViewState = readView();
  if (!view.area || !b.tree.reachable(view.area)) view.area = b.me.areaCode;
  const data = new LayerData(b.api);
  // Grid polygons come as vector tiles cut to this user's area (docs/hub.md "Area tiles"), found at boot.
  const gridTiles = b.tiles;
  let selectedAlert: string | null = null;
  let maint: MaintenanceWatch | null = null;
  let patrolAt = view.at ?? Math.min(61200, Math.max(28800, secondsToday()));
  let fieldWorkers: FieldWorkerView[] = [];
  // The field panel, mounted once the live socket exists (after live.start()).
  let field = { refresh: () => {} };

  const redraw = () => {
    const c = stage.map?.getCanvas();
    const drawing = buildLayers({
      tree: b.tree,
      live,
      data,
      area: view.area!,
      layers: view.layers,
      measure: view.measure,
      selectedAlert,
      patrolAt,
      now: Date.now(),
      viewport: { width: c?.clientWidth ?? 1600, height: c?.clientHeight ?? 900 },
      maintenance: maint?.badges(b.tree, Date.now()),
      fieldWorkers,
      gridTiles,
    });
    stage.setLayers(drawing.layers, drawing.labels, drawing.obstacles);
    state.layers = [...view.layers];
    const [wFrom, wTo] = view.from !== null ? windowOf(view) : [0, 0];
    state.legends = renderLegends($('legends'), {
      layers: view.layers,
      measure: view.measure,
      gridMax: gridValues({ tree: b.tree, live, data, area: view.area!, measure: view.measure }).max,
      heatTotal: data.heatTotal,
      heatWindow: view.from !== null ? `${formatDateTime(wFrom)} – ${formatDateTime(wTo)}` : WIN_LABEL[view.win],
      facilityTypes: [...new Set(data.facilities.map((f) => f.type))],
      coverageMinutes: data.coverageMinutes,
    });
  };
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
      .filter((a) => inArea(a.gridId) && (a.state !== 'resolved' || a.id === selectedAlert));
    sources.want(shown);
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
        selectedAlert = null;
        $('alert-detail').hidden = true;
        alertsChanged();
      },
    });
  const pickAlert = (id: string) => {
    const a = live.alerts.get(id);
    if (!a) return;
    selectedAlert = id;
    void showDetail(a);
    stage.map.easeTo({ center: [a.lng, a.lat], duration: 600 });
    alertsChanged();
  };

  const select = (code: string, fly = true) => {
    if (!b.tree.reachable(code)) return;
    view.area = code;
    state.area = code;
    writeView(view);
    renderBreadcrumb();
    renderAreaPanel();
    const bounds = b.tree.bounds(code);
    if (fly && bounds) stage.fit(bounds);
    void b.tree.loadRings(code).then(redraw); // a grid's outline
    gatewaysChanged();
    alertsChanged();
  };
  const onClick = (info: PickingInfo) => {
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

  function renderBreadcrumb() {
    const nav = $('breadcrumb');
    nav.replaceChildren(
      ...b.tree.chain(view.area!).flatMap((code, i, all) => {
        const el = document.createElement(b.tree.reachable(code) && i < all.length - 1 ? 'button' : 'span');
        el.className = 'crumb';
        el.dataset.area = code;
        el.textContent = b.tree.name(code);
        if (el instanceof HTMLButtonElement) {
          el.type = 'button';
          el.addEventListener('click', () => select(code));
        }
        if (i === all.length - 1) el.setAttribute('aria-current', 'location');
        const sep = document.createElement('span');
        sep.className = 'sep';
        sep.textContent = '›';
        return i ? [sep, el] : [el];
      }),
    );
  }

  function renderAreaPanel() {
    paintAreaPanel($('area-panel'), view.area!, { tree: b.tree, live, data, maint, onSelect: select });
  }

  // Layer switches, measure, heat window, patrol slider: each writes the URL.
  const layersHost = $('layers');
  for (const id of LAYER_IDS) {
    const label = document.createElement('label');
    label.className = 'layer-toggle';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.dataset.layer = id;
    box.checked = view.layers.includes(id);
    box.addEventListener('change', () => {
      view.layers = LAYER_IDS.filter((l) => (l === id ? box.checked : view.layers.includes(l)));
      writeView(view);
      void layerSwitched(id);
    });
    label.append(box, ` ${LAYER_LABEL[id]}`);
    layersHost.append(label);
  }
  const measure = $<HTMLSelectElement>('measure');
  for (const m of MEASURES) measure.add(new Option(MEASURE_LABEL[m], m, false, m === view.measure));
  measure.addEventListener('change', () => {
    view.measure = measure.value as ViewState['measure'];
    writeView(view);
    redraw();
  });
  const win = $<HTMLSelectElement>('win');
  for (const w of Object.keys(WINDOWS) as (keyof typeof WINDOWS)[])
    win.add(new Option(WIN_LABEL[w], w, false, w === view.win));
  if (view.from !== null) win.add(new Option(t('链接指定时段', 'linked period'), 'fixed', true, true));
  win.addEventListener('change', () => {
    if (win.value !== 'fixed') {
      view.win = win.value as ViewState['win'];
      view.from = view.to = null;
    }
    writeView(view);
    void loadHeat();
  });
  const slider = $<HTMLInputElement>('patrol-time');
  slider.value = String(patrolAt);
  const showPatrolTime = () => {
    $('patrol-out').textContent =
      `${String(Math.floor(patrolAt / 3600)).padStart(2, '0')}:${String(Math.floor((patrolAt % 3600) / 60)).padStart(2, '0')}`;
  };
  showPatrolTime();
  slider.addEventListener('input', () => {
    patrolAt = Number(slider.value);
    view.at = patrolAt;
    writeView(view);
    showPatrolTime();
    redraw();
  });

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
    if (id === 'patrols' && view.layers.includes('patrols') && !data.patrols.length)
      await data.loadPatrols(Date.now()).catch((err: unknown) => console.warn('patrols not loaded', err));
    redraw();
  }

  await b.tree.loadRings(view.area);
  state.gridTiles = gridTiles !== null;
  const stage = new Stage({
    host: $('map'),
    tree: b.tree,
    tiles: b.tiles,
    basemap: b.basemap,
    theme: savedTheme(),
    bounds: b.tree.bounds(view.area)!,
    padding: { top: 90, bottom: 170, left: 340, right: 400 },
    preserveDrawingBuffer: false,
    onClick,
    onReady: () => redraw(),
  });
  window.linli.stage = stage;
  await stage.start();
  window.linli.map = stage.map;
  state.communities = b.tree.communityLabels().length;
  state.area = view.area;
  writeView(view);
  renderBreadcrumb();
  await data.loadStatic();
  renderAreaPanel();
  live.start();
  field = mountFieldPanel($('field-panel'), b.api, live.socket, b.tree, inArea, (w) => {
    fieldWorkers = w;
    redraw();
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
  markReadyWhenDrawn(stage, () => live.synced);
}

function secondsToday(): number {
  const d = new Date();
  return d.getHours() * 3600 + d.getMinutes() * 60;
}
