import './styles.css';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import type { LinliEvent } from '@linli/contract';
import { Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { EventRing } from './event-store.js';
import { type AreaCollection, connectHub, fetchAreas, type LinkState } from './hub-client.js';
import { formatCount } from './i18n.js';
import { communityLabels, createCommunityLabelsLayer } from './layers/community-labels-layer.js';
import { createLiveEventsLayer, PULSE_MS } from './layers/live-events-layer.js';
import { addAreaLayers, areasBounds } from './map/area-layers.js';
import { applyTheme, basemapStyle, fetchBasemapInfo, type Theme } from './map/basemap-style.js';
import { mapFontFaces } from './map/map-fonts.js';
import { mountStyleToggle, savedTheme } from './map/style-toggle.js';
import { renderFeed } from './panels/event-feed.js';
import { renderGateways } from './panels/gateway-status.js';
import { loginForm } from './panels/login-form.js';
import { cockpitKey, forgetSession } from './session.js';

// MapLibre's worker must be given a URL when bundled (see shared NOTES).
setWorkerUrl(workerUrl);

/** What the page shows, readable by tests and by an operator's devtools. */
export interface CockpitState {
  ready: boolean;
  link: LinkState;
  communities: number;
  eventsReceived: number;
  lastEvent: LinliEvent | null;
  /** Gateways in the last status list from the hub. */
  gateways: number;
  /** Basemap style shown, and which layer schema the hub's archive has (null: no basemap). */
  theme: Theme;
  basemap: string | null;
}
declare global {
  interface Window {
    linli: { state: CockpitState; map?: MapLibreMap };
  }
}
const state: CockpitState = {
  ready: false,
  link: 'connecting',
  communities: 0,
  eventsReceived: 0,
  lastEvent: null,
  gateways: 0,
  theme: savedTheme(),
  basemap: null,
};
window.linli = { state };

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function showNotice(text: string): void {
  const n = $('notice');
  n.textContent = text;
  n.hidden = false;
}

function setLink(s: LinkState): void {
  state.link = s;
  $('link-dot').className = `dot ${s === 'online' ? 'online' : s === 'connecting' ? '' : 'offline'}`;
  $('link-text').textContent = {
    connecting: '连接中…',
    online: '已连接',
    offline: '连接中断，正在重连',
    unauthorized: '未授权',
  }[s];
  if (s === 'unauthorized') {
    forgetSession();
    showNotice('会话无效或已过期：请刷新页面重新登录 (session expired: reload to log in again)');
  }
}

function startClock(): void {
  const fmt = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'medium', timeStyle: 'medium', hour12: false });
  const tick = () => {
    $('clock').textContent = fmt.format(Date.now());
  };
  tick();
  setInterval(tick, 1000);
}

async function main(): Promise<void> {
  startClock();
  const key = cockpitKey() ?? (await loginForm());
  let areas: AreaCollection;
  try {
    areas = await fetchAreas(key);
  } catch (err) {
    showNotice(String(err instanceof Error ? err.message : err));
    setLink('unauthorized');
    return;
  }
  const gridNames = new Map(areas.features.map((f) => [f.properties.code, f.properties.name]));
  const basemap = await fetchBasemapInfo();
  state.basemap = basemap?.schema ?? null;
  const map = new MapLibreMap({
    container: 'map',
    style: basemapStyle(state.theme, basemap, location.origin, mapFontFaces(location.origin)),
    // Chinese labels from the bundled Noto Sans SC (font-faces); this only names the local fallback.
    localIdeographFontFamily: '"Noto Sans SC", sans-serif',
    bounds: areasBounds(areas),
    fitBoundsOptions: { padding: { top: 100, bottom: 60, left: 60, right: 400 } },
    attributionControl: false,
  });
  window.linli.map = map;
  await new Promise<void>((resolve) => map.once('load', () => resolve()));
  addAreaLayers(map, areas);
  applyTheme(map, state.theme, basemap?.schema ?? 'unknown');
  // The font must be loaded before deck.gl rasterises its glyph atlas, or the labels use a fallback.
  await document.fonts.load('700 18px "Noto Sans SC"', areas.features.map((f) => f.properties.name).join(''));
  let labels = createCommunityLabelsLayer(communityLabels(areas), state.theme);
  const overlay = new MapLibreOverlay({ interleaved: true, layers: [labels] });
  map.addControl(overlay);
  state.communities = areas.features.filter((f) => f.properties.level === 'community').length;

  const ring = new EventRing(2000);
  const gateways = new Map<string, number>();
  let today = 0;
  let alarms = 0;
  // Labels last so dots never hide a community name.
  const redraw = () =>
    overlay.setProps({ layers: [createLiveEventsLayer(ring.all(), ring.arrivedAt, Date.now()), labels] });
  mountStyleToggle(document.querySelector<HTMLElement>('.topbar .status')!, state.theme, (t) => {
    state.theme = t;
    applyTheme(map, t, basemap?.schema ?? 'unknown');
    labels = createCommunityLabelsLayer(communityLabels(areas), t);
    redraw();
  });
  const onEvents = (events: LinliEvent[]) => {
    const now = Date.now();
    const fresh = ring.add(events, now);
    if (!fresh.length) return;
    const midnight = new Date().setHours(0, 0, 0, 0);
    for (const e of fresh) {
      gateways.set(e.gatewayId, now);
      if (e.receivedAt >= midnight) today++;
      if (e.severity === 'critical' || e.severity === 'warning') alarms++;
    }
    state.eventsReceived += fresh.length;
    state.lastEvent = fresh[fresh.length - 1]!;
    $('kpi-events').textContent = formatCount(today);
    $('kpi-alarms').textContent = formatCount(alarms);
    renderFeed($<HTMLOListElement>('feed'), fresh, (g) => gridNames.get(g) ?? g);
    redraw();
  };
  const gatewayRows = $<HTMLTableSectionElement>('gateways');
  connectHub(key, onEvents, setLink, (views) => {
    state.gateways = views.length;
    renderGateways(gatewayRows, views, (code) => gridNames.get(code));
  });
  // Pulse animation at ~10 fps, only while something is pulsing; gateway count refreshed with it.
  setInterval(() => {
    const now = Date.now();
    const active = [...gateways.values()].filter((t) => now - t < 60_000).length;
    $('kpi-gateways').textContent = formatCount(active);
    if ([...ring.arrivedAt.values()].some((t) => now - t < PULSE_MS)) redraw();
  }, 100);
  redraw();
  map.once('idle', () => {
    state.ready = true;
  });
  map.triggerRepaint();
}

void main();
