import type { AlertView } from '../alert-store.js';
import type { Boot } from '../boot.js';
import { buildLayers, LayerData } from '../cockpit/overlays.js';
import { AlertSources } from '../cockpit/alert-titles.js';
import { formatCount, t } from '../i18n.js';
import type { Level } from '../area-tree.js';
import { renderLegends } from '../legends/legends.js';
import { gridValues } from '../cockpit/overlays.js';
import { Live } from '../live.js';
import { setLink, startClock, state, markReadyWhenDrawn } from '../shell.js';
import { savedTheme } from '../map/style-toggle.js';
import { Stage } from '../stage.js';
import { mountMaintenance } from '../maintenance/maintenance-panel.js';
import type { MaintenanceWatch } from '../maintenance/maintenance-watch.js';
import { recentWindow } from '../recent-window.js';
import type { LayerId } from '../view-state.js';
import { cityFooter } from '../city-footer.js';
import { LayerMemo } from '../layers/layer-memo.js';
import { countRedraw, onDevicePush, startRedrawCount } from '../redraw-cost.js';

const WALL_LAYERS: LayerId[] = ['grids', 'heat', 'events', 'devices', 'alerts'];
/** A new critical alert older than this (at the hub) is history, not news: no takeover. */
const FRESH_MS = 120_000;
const SOFT_REFRESH_MS = 5 * 60_000;

export interface WallState {
  stop: string | null;
  /** The caption at the bottom: the tour's stop, or the alert's place during a takeover. */
  caption?: string;
  stops: number;
  moves: number;
  takeover: string | null;
  takeovers: number;
  recoveries: number;
  catchUps: number;
}

/** Three short tones from the page itself (no audio file to fetch). Wall browsers run with autoplay allowed. */
function chime(): boolean {
  try {
    const ctx = new AudioContext();
    for (let i = 0; i < 3; i++) {
      const o = ctx.createOscillator();
      const g = ctx.createGain();
      o.frequency.value = 880;
      g.gain.setValueAtTime(0.0001, ctx.currentTime + i * 0.35);
      g.gain.exponentialRampToValueAtTime(0.3, ctx.currentTime + i * 0.35 + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + i * 0.35 + 0.25);
      o.connect(g).connect(ctx.destination);
      o.start(ctx.currentTime + i * 0.35);
      o.stop(ctx.currentTime + i * 0.35 + 0.3);
    }
    setTimeout(() => void ctx.close(), 1500);
    return ctx.state === 'running';
  } catch {
    return false;
  }
}

/**
 * The wall: no pointer, large type, KPI tiles, a tour over the districts,
 * streets and hot spots, and a takeover for each new critical alert. It heals
 * itself: Socket.IO reconnects and catches up, a lost WebGL context rebuilds
 * the map, memory is bounded, data refreshes softly without a reload.
 */
export async function wallView(b: Boot): Promise<void> {
  const q = new URLSearchParams(location.search);
  const tourMs = Math.max(2, Number(q.get('tour') ?? 20)) * 1000;
  const holdMs = Math.max(2, Number(q.get('hold') ?? 30)) * 1000;
  document.body.className = 'view-wall';
  document.getElementById('app')!.innerHTML = `
    <header class="wall-top">
      <div class="wall-title"><span class="logo">${t('邻里', 'Linli')}</span> <span id="wall-title"></span></div>
      <div class="wall-status"><span id="link-dot" class="dot"></span><span id="link-text"></span><span id="clock" class="clock"></span></div>
    </header>
    <section id="map" class="wall-map"></section>
    <section id="maintenance" class="maintenance wall-maintenance" hidden><h2>${t('维护窗口', 'Maintenance')}</h2><ol></ol></section>
    <aside class="tiles">
      <div class="tile raised"><span class="tile-label">${t('待派发', 'To dispatch')}</span><span id="tile-raised" class="tile-value">0</span></div>
      <div class="tile dispatched"><span class="tile-label">${t('已派发', 'Dispatched')}</span><span id="tile-dispatched" class="tile-value">0</span></div>
      <div class="tile acknowledged"><span class="tile-label">${t('处置中', 'In hand')}</span><span id="tile-acknowledged" class="tile-value">0</span></div>
      <div class="tile"><span class="tile-label">${t('设备在线', 'Devices online')}</span><span id="tile-devices" class="tile-value">–</span></div>
      <div class="tile"><span class="tile-label">${t('15分钟服务覆盖', '15-min coverage')}</span><span id="tile-coverage" class="tile-value">–</span></div>
      <div class="tile"><span class="tile-label">${t('今日事件', 'Events today')}</span><span id="tile-events" class="tile-value">0</span></div>
    </aside>
    <aside id="legends" class="legends wall-legends"></aside>
    <div id="tour-caption" class="tour-caption"></div>
    <div id="takeover" class="takeover" hidden></div>
    <div id="notice" class="notice" hidden></div>
    ${cityFooter(b.city, ['示意数据：演示城市', 'Demo data'])}`;
  startClock();
  document.body.dataset.theme = savedTheme();
  const $ = (id: string) => document.getElementById(id)!;
  const title = wallTitle(b.tree.name(b.me.areaCode), b.tree.level(b.me.areaCode));
  $('wall-title').textContent = title;
  document.title = `${t('邻里', 'Linli')} · ${title}`;
  state.wallTitle = title;
  const wall: WallState = { stop: null, stops: 0, moves: 0, takeover: null, takeovers: 0, recoveries: 0, catchUps: 0 };
  state.wall = wall;
  const data = new LayerData(b.api);
  const root = b.me.areaCode;
  let started = false;
  let maint: MaintenanceWatch | null = null;
  // As on the cockpit, layer groups whose inputs did not change are not rebuilt (ten redraws a second while
  // anything pulses); the counts are the redraw-cost measurement (redraw-cost.ts).
  const memo = new LayerMemo();
  startRedrawCount();
  // A status push is drawn at once when it changes a device symbol (a gateway goes off line), and costs nothing else.
  const devicePush = onDevicePush(() => redraw());

  // Another city version became active: the wall has no one to press reload, so it reloads
  // itself when its current tour step ends (never during an alarm takeover).
  let cityChanged = false;
  const live = new Live(b.key, b.api, {
    onCityChanged: () => void (cityChanged = true),
    onLink: setLink,
    onCounts: () => void ($('tile-events').textContent = formatCount(live.eventsToday)),
    onEvents: () => {
      state.eventsReceived = live.eventsReceived;
      $('tile-events').textContent = formatCount(live.eventsToday);
    },
    onAlert: (a, isNew) => {
      tiles();
      if (started && isNew && a.severity === 'critical' && a.state === 'raised' && Date.now() - a.raisedAt < FRESH_MS)
        takeover(a);
    },
    onGateways: (views) => {
      state.gateways = views.length;
      devicePush(views);
      let on = 0;
      let all = 0;
      for (const g of views) {
        on += g.status?.devices.online ?? 0;
        all += g.status?.devices.total ?? 0;
      }
      $('tile-devices').textContent = all ? `${formatCount(on)}/${formatCount(all)}` : '–';
    },
  });

  const tiles = () => {
    const open = live.alerts.open();
    for (const s of ['raised', 'dispatched', 'acknowledged'] as const)
      $(`tile-${s}`).textContent = formatCount(open.filter((a) => a.state === s).length);
    state.alerts = Object.fromEntries(live.alerts.all().map((a) => [a.id, a.state]));
  };

  const redraw = () => {
    const c = stage.map?.getCanvas();
    memo.begin();
    const drawing = buildLayers({
      tree: b.tree,
      live,
      data,
      area: root,
      gridTiles: b.tiles,
      layers: WALL_LAYERS,
      measure: 'alerts',
      selectedAlert: wall.takeover,
      patrolAt: 0,
      now: Date.now(),
      viewport: { width: c?.clientWidth ?? 1920, height: c?.clientHeight ?? 1080 },
      maintenance: maint?.badges(b.tree, Date.now()),
      memo,
    });
    stage.setLayers(drawing.layers, drawing.labels, drawing.obstacles);
    countRedraw(memo, stage);
    state.legends = renderLegends($('legends'), {
      layers: WALL_LAYERS,
      measure: 'alerts',
      gridMax: gridValues({ tree: b.tree, live, data, area: root, measure: 'alerts' }).max,
      heatTotal: data.heatTotal,
      heatWindow: t('近24小时', 'last 24 h'),
      facilityTypes: [],
      coverageMinutes: data.coverageMinutes,
    });
  };

  /** The whole area, its parts down to streets, then today's hot spots (most open alerts, then most events). */
  const stops = (): string[] => {
    const out = [root];
    const walk = (code: string) => {
      for (const c of b.tree.children(code)) {
        const lvl = b.tree.level(c);
        if (lvl === 'district' || lvl === 'street' || lvl === 'community') out.push(c);
        if (lvl === 'district') walk(c);
      }
    };
    walk(root);
    const heat = new Map<string, number>();
    for (const a of live.alerts.open()) heat.set(a.gridId, (heat.get(a.gridId) ?? 0) + 1000);
    for (const e of live.events.all()) heat.set(e.location.gridId, (heat.get(e.location.gridId) ?? 0) + 1);
    const hot = [...heat.entries()]
      .sort((x, y) => y[1] - x[1])
      .slice(0, 3)
      .map(([g]) => g)
      .filter((g) => b.tree.reachable(g));
    return [...out.slice(0, 12), ...hot];
  };
  let tourIndex = 0;
  const tourStep = () => {
    if (wall.takeover) return;
    if (cityChanged) return location.reload();
    const list = stops();
    wall.stops = list.length;
    const code = list[tourIndex % list.length]!;
    tourIndex++;
    wall.stop = code;
    wall.moves++;
    const bounds = b.tree.bounds(code);
    if (bounds) stage.fit(bounds, 2500);
    caption(`${t('巡视', 'Touring')}：${where(code)}`);
  };
  /** The reachable chain down to `code`, as the caption names it. */
  const where = (code: string) =>
    b.tree
      .chain(code)
      .filter((c) => b.tree.reachable(c))
      .map((c) => b.tree.name(c))
      .join(' › ');
  const caption = (text: string) => {
    $('tour-caption').textContent = text;
    wall.caption = text;
  };
  const sources = new AlertSources(b.api, () => {
    const a = wall.takeover ? live.alerts.get(wall.takeover) : undefined;
    if (a) $('takeover').textContent = takeoverText(a);
  });
  /** What the takeover box says: the alert by its rule or kind and device, and its community (what the map shows). */
  const takeoverText = (a: AlertView) => {
    const community = b.tree.chain(a.gridId).find((c) => b.tree.level(c) === 'community');
    return `${t('紧急告警', 'CRITICAL')} · ${sources.title(a)} · ${b.tree.name(community ?? a.gridId)}${a.duringWindowId ? ` · ${t('维护期间', 'during maintenance')}` : ''}`;
  };

  let holdTimer: ReturnType<typeof setTimeout> | null = null;
  const takeover = (a: AlertView) => {
    wall.takeover = a.id;
    wall.takeovers++;
    state.chime = chime();
    const el = $('takeover');
    el.hidden = false;
    el.dataset.alert = a.id;
    sources.want([a]);
    el.textContent = takeoverText(a);
    // The map flies to the alert: the caption names where it is, not the stop the tour was at.
    caption(`${t('告警位置', 'Alert at')}：${where(a.gridId)}`);
    stage.map.flyTo({ center: [a.lng, a.lat], zoom: 17, duration: 2500 });
    redraw();
    if (holdTimer) clearTimeout(holdTimer);
    holdTimer = setTimeout(() => {
      wall.takeover = null;
      el.hidden = true;
      tourStep();
    }, holdMs);
  };

  const stage = new Stage({
    host: $('map'),
    tree: b.tree,
    tiles: b.tiles,
    basemap: b.basemap,
    theme: savedTheme(),
    bounds: b.tree.bounds(root)!,
    padding: { top: 120, bottom: 300, left: 60, right: 380 },
    interactive: false,
    onReady: () => {
      wall.recoveries = stage.recoveries;
      window.linli.map = stage.map;
      // A (re)built map has a new deck.gl: it needs layers of its own, not the lost one's.
      memo.forget();
      redraw();
    },
  });
  window.linli.stage = stage;
  await stage.start();
  state.communities = b.tree.namedAreas().filter((a) => a.level === 'community').length;
  const refresh = async () => {
    const now = Date.now();
    await Promise.all([
      data.loadStatic(),
      data.loadHeat(...recentWindow(86_400_000, now)).catch((err: unknown) => console.warn('heatmap not loaded', err)),
    ]);
    state.heatCells = data.heat.count;
    const cov = data.coverage;
    const homes = cov.reduce((s, c) => s + c.homes, 0);
    $('tile-coverage').textContent = homes
      ? `${Math.round((cov.reduce((s, c) => s + c.share * c.homes, 0) / homes) * 100)}%`
      : '–';
    redraw();
  };
  await refresh();
  setInterval(() => void refresh(), SOFT_REFRESH_MS);
  maint = mountMaintenance($('maintenance'), b, false, redraw);
  live.start(SOFT_REFRESH_MS);
  window.linli.live = live;
  await live.catchUp(false);
  tiles();
  started = true;
  setInterval(() => {
    wall.catchUps = live.catchUps;
    wall.recoveries = stage.recoveries;
    state.eventsReceived = live.eventsReceived;
    const now = Date.now();
    if (live.alerts.open().length || [...live.events.arrivedAt.values()].some((a) => now - a < 60_000)) redraw();
  }, 150);
  // The tour moves on once the first picture is whole (a moving map keeps fetching tiles, so touring from the start
  // could keep the wall from ever showing one complete view), or after TOUR_START_LATEST_MS whatever still loads.
  await Promise.race([
    markReadyWhenDrawn(stage, () => live.synced),
    new Promise((r) => setTimeout(r, TOUR_START_LATEST_MS)),
  ]);
  setInterval(tourStep, tourMs);
}

/** The longest the wall stays on its first view waiting for it to load before touring anyway. */
const TOUR_START_LATEST_MS = 30_000;

/** The wall's title from the viewer's scope: a street leader's wall names the street, a city's the city. */
export function wallTitle(name: string, level: Level | undefined): string {
  if (level === 'city') return `${name} · ${t('城市运行指挥中心', 'City operations centre')}`;
  if (level === 'district') return `${name} · ${t('区域运行指挥中心', 'District operations centre')}`;
  if (level === 'street') return `${name} · ${t('街道综合指挥中心', 'Street command centre')}`;
  return `${name} · ${t('社区指挥中心', 'Community command centre')}`;
}
