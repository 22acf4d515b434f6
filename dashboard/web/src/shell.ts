import type { LinliEvent } from '@linli/contract';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { LinkState } from './hub-client.js';
import { lang, t } from './i18n.js';
import type { Live } from './live.js';
import { forgetSession } from './session.js';
import type { Stage } from './stage.js';

/** What the page shows, readable by tests and by an operator's devtools. */
export interface CockpitState {
  view: 'cockpit' | 'wall' | 'review';
  ready: boolean;
  /** Until ready: what the page still waits for ('data', 'map', 'layers'); empty before the wait starts and once ready. */
  waitingFor: string[];
  link: LinkState;
  communities: number;
  eventsReceived: number;
  lastEvent: LinliEvent | null;
  gateways: number;
  area: string | null;
  layers: string[];
  /** Alert id → state, as the cockpit holds it. */
  alerts: Record<string, string>;
  heatCells: number;
  heatTotal: number;
  [extra: string]: unknown;
}
declare global {
  interface Window {
    linli: {
      state: CockpitState;
      map?: MapLibreMap;
      stage?: Stage;
      live?: Live;
      select?: (code: string) => void;
      [extra: string]: unknown;
    };
  }
}
export const state: CockpitState = {
  view: 'cockpit',
  ready: false,
  waitingFor: [],
  link: 'connecting',
  communities: 0,
  eventsReceived: 0,
  lastEvent: null,
  gateways: 0,
  area: null,
  layers: [],
  alerts: {},
  heatCells: 0,
  heatTotal: 0,
};
window.linli = { state };

export function showNotice(text: string): void {
  const n = document.getElementById('notice');
  if (!n) return;
  n.textContent = text;
  n.hidden = false;
}

export function setLink(s: LinkState): void {
  state.link = s;
  const dot = document.getElementById('link-dot');
  if (dot) dot.className = `dot ${s === 'online' ? 'online' : s === 'connecting' ? '' : 'offline'}`;
  const text = document.getElementById('link-text');
  if (text)
    text.textContent = {
      connecting: t('连接中…', 'connecting…'),
      online: t('已连接', 'connected'),
      offline: t('连接中断，正在重连', 'link down, reconnecting'),
      unauthorized: t('未授权', 'unauthorized'),
    }[s];
  if (s === 'unauthorized') {
    forgetSession();
    showNotice(t('会话无效或已过期：请刷新页面重新登录', 'Session expired: reload to log in again'));
  }
}

export function startClock(): void {
  const fmt = new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    dateStyle: 'medium',
    timeStyle: 'medium',
    hour12: false,
  });
  const tick = () => {
    const el = document.getElementById('clock');
    if (el) el.textContent = fmt.format(Date.now());
  };
  tick();
  setInterval(tick, 1000);
}

/** How often readiness is looked at while waiting: a 200 ms step put up to 200 ms of nothing into every first-render figure. */
const READY_POLL_MS = 25;

/**
 * Ready once the page's data is in (`dataIn`: the live catch-up), the style and visible tiles are loaded, deck.gl's layers hold their
 * data (the grid choropleth's vector tiles arrive after MapLibre's own), and a
 * frame was drawn. Not MapLibre's `idle`: a wall with pulsing alerts and a
 * heatmap never goes idle.
 */
export function markReadyWhenDrawn(
  stage: { map: MapLibreMap; layersLoaded(): boolean },
  dataIn: () => boolean = () => true,
): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const map = stage.map;
      state.waitingFor = [
        ...(dataIn() ? [] : ['data']),
        ...(map.loaded() && map.areTilesLoaded() ? [] : ['map']),
        ...(stage.layersLoaded() ? [] : ['layers']),
      ];
      if (!state.waitingFor.length) {
        map.once('render', () => {
          state.ready = true;
          resolve();
        });
        map.triggerRepaint();
      } else setTimeout(check, READY_POLL_MS);
    };
    check();
  });
}
