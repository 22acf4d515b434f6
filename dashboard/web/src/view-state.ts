import { recentWindow } from './recent-window.js';

/** Layers the operator can switch; their ids appear in deep links. */
export const LAYER_IDS = ['grids', 'population', 'alerts', 'events', 'heat', 'coverage', 'devices', 'patrols'] as const;
export type LayerId = (typeof LAYER_IDS)[number];
export const MEASURES = ['alerts', 'population', 'coverage'] as const;
export type Measure = (typeof MEASURES)[number];
export const WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type WindowId = keyof typeof WINDOWS;

/** Everything a link must carry to reproduce a view. */
export interface ViewState {
  area: string | null;
  layers: LayerId[];
  measure: Measure;
  /** Heatmap and review window: a named length ending now, or fixed [from, to). */
  win: WindowId;
  from: number | null;
  to: number | null;
  /** Patrol slider: seconds since midnight. */
  at: number | null;
}

export const DEFAULT_LAYERS: LayerId[] = ['grids', 'alerts', 'events', 'devices'];

export function readView(search = location.search): ViewState {
  const q = new URLSearchParams(search);
  const layers = (q.get('layers') ?? '')
    .split(',')
    .filter((l): l is LayerId => (LAYER_IDS as readonly string[]).includes(l));
  const num = (k: string) => {
    const v = Number(q.get(k));
    return q.has(k) && Number.isFinite(v) && v >= 0 ? v : null;
  };
  const measure = q.get('measure');
  const win = q.get('win');
  const area = q.get('area');
  return {
    area: area && /^[0-9]{6,15}$/.test(area) ? area : null,
    layers: q.has('layers') ? layers : [...DEFAULT_LAYERS],
    measure: (MEASURES as readonly string[]).includes(measure ?? '') ? (measure as Measure) : 'alerts',
    win: win && win in WINDOWS ? (win as WindowId) : '24h',
    from: num('from'),
    to: num('to'),
    at: num('at'),
  };
}

/** Writes the view into the address bar without a reload or a history entry per click. */
export function writeView(v: ViewState): void {
  const q = new URLSearchParams();
  if (v.area) q.set('area', v.area);
  q.set('layers', v.layers.join(','));
  q.set('measure', v.measure);
  if (v.from !== null && v.to !== null) {
    q.set('from', String(v.from));
    q.set('to', String(v.to));
  } else q.set('win', v.win);
  if (v.at !== null) q.set('at', String(v.at));
  history.replaceState(null, '', `${location.pathname}?${q.toString()}`);
}

/** The time window the view asks for, as [from, to). */
export function windowOf(v: ViewState, now = Date.now()): [number, number] {
  if (v.from !== null && v.to !== null && v.to > v.from) return [v.from, v.to];
  return recentWindow(WINDOWS[v.win], now);
}
