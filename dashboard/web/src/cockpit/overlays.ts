import type { Layer } from '@deck.gl/core';
import type { CoverageRow, GatewayView } from '@linli/contract';
import type { GetReply } from '@linli/contract/browser';
import type { AlertView } from '../alert-store.js';
import type { Api } from '../api.js';
import type { AreaTree } from '../area-tree.js';
import { formatCount, t } from '../i18n.js';
import {
  alertsLayer,
  deviceRadius,
  coverageLayers,
  type DevicePoint,
  devicesLayer,
  type FacilityView,
  type HeatData,
  heatLayer,
  type PatrolTrack,
  patrolLayers,
  weightsTextureSize,
} from '../layers/cockpit-layers.js';
import { checkinShare } from '../layers/checkin-steps.js';
import { deviceFingerprint } from '../layers/device-fingerprint.js';
import type { LabelWish } from '../layers/label-placement.js';
import { createLiveEventsLayer, PULSE_MS } from '../layers/live-events-layer.js';
import { type FieldWorkerView, fieldWorkersLayers } from '../layers/field-workers-layer.js';
import { gridOutlineLayer, type GridTileSource, GridPaintTracker, gridTilesLayer } from '../layers/grid-tiles-layer.js';
import type { Live } from '../live.js';
import type { LayerId, Measure } from '../view-state.js';
import type { CheckinCount } from './checkin-figures.js';
import { LayerMemo } from '../layers/layer-memo.js';

// Reply shapes are the contract's (contract/src/rest/*.ts), checked on arrival by `api.get`.
export type PopulationRow = GetReply<'/api/population/counts'>['grids'][number];
/** A sum the hub publishes only as the range its cells imply (dashboard/src/privacy/safe-counts.ts). */
export type CountRange = PopulationRow['total'];
/** A count as the hub publishes it: the number from 5 up, "<5" for 0–4. */
export type SafeCount = PopulationRow['cells'][string];
export type { CoverageRow } from '@linli/contract';
export type HeatReply = GetReply<'/api/heatmap'>;

/** The aggregates the layers draw, fetched from the hub (already cut to the user's area there). */
export class LayerData {
  population: PopulationRow[] = [];
  coverage: CoverageRow[] = [];
  facilities: FacilityView[] = [];
  reachMetres = 1080;
  coverageMinutes = 15;
  heat: HeatData = { positions: new Float32Array(0), weights: new Float32Array(0), count: 0 };
  heatTotal = 0;
  patrols: PatrolTrack[] = [];

  constructor(private readonly api: Api) {}

  async loadStatic(): Promise<void> {
    const [pop, cov] = await Promise.all([
      // Population and coverage are optional layers: a role without them, or a failed fetch, draws an empty layer.
      this.api.get('/api/population/counts').catch(() => ({ grids: [] })),
      this.api.get('/api/coverage').catch(() => ({ grids: [], facilities: [], minutes: 15 })),
    ]);
    this.population = pop.grids;
    this.coverage = cov.grids;
    this.facilities = cov.facilities;
    this.coverageMinutes = cov.minutes;
  }

  async loadHeat(from: number, to: number): Promise<void> {
    const r = await this.api.get('/api/heatmap', { from: Math.floor(from), to: Math.ceil(to) });
    this.heat = toHeat(r);
    this.heatTotal = r.total;
  }

  async loadPatrols(at: number): Promise<void> {
    this.patrols = (await this.api.get('/api/patrols', { at })).tracks;
  }
}

export function toHeat(r: HeatReply): HeatData {
  // A cell of events without a position has null coordinates; Float32Array made them 0 before the types said so.
  // Cell numbers to degrees by division, as the hub's cells are (3-decimal doubles, then Float32 for the GPU).
  const perDegree = Math.round(1 / r.cellDegrees);
  const positions = Float32Array.from(r.cells, (v) => (v ?? 0) / perDegree);
  return { positions, weights: Float32Array.from(r.weights), count: r.weights.length };
}

/** A published range as one number for colouring: its middle. */
export const rangeValue = (r: CountRange) => (r.min + r.max) / 2;
/** "12" when exact, "12–20" when hidden cells make it a range. */
export const rangeText = (r: CountRange) =>
  r.min === r.max ? formatCount(r.min) : `${formatCount(r.min)}–${formatCount(r.max)}`;
/** The range of several published ranges together (a community's grids). */
export const addRanges = (rs: readonly CountRange[]): CountRange =>
  rs.reduce((a, r) => ({ min: a.min + r.min, max: a.max + r.max }), { min: 0, max: 0 });

export interface LayerInputs {
  tree: AreaTree;
  live: Live;
  data: LayerData;
  area: string;
  layers: readonly LayerId[];
  measure: Measure;
  selectedAlert: string | null;
  patrolAt: number;
  now: number;
  viewport: { width: number; height: number };
  /** Workers on patrol or on a task (roles that oversee field work), drawn with the patrol layer. */
  fieldWorkers?: readonly FieldWorkerView[];
  /** 维护中 badges just above the centre of areas with an active maintenance window (clear of the area's name). */
  maintenance?: readonly { position: [number, number]; text: string }[];
  /** The hub's grid tiles: the grids are drawn from them, coloured by value (none without them). */
  gridTiles?: GridTileSource | null;
  /** Reuses the layers of groups whose inputs did not change since the last call (layer-memo.ts). */
  memo?: LayerMemo;
  /** Today's check-in coverage per grid (roles that oversee field work): the grid colouring while patrols are on. */
  checkins?: ReadonlyMap<string, CheckinCount> | null;
}

/**
 * Whether the grids are coloured by today's check-in coverage instead of the
 * chosen measure: while the patrol layer is on and the figures arrived (a role
 * refused them keeps the measure). With the patrol layer off nothing changes.
 */
export const checkinColouring = (x: Pick<LayerInputs, 'layers' | 'checkins'>): boolean =>
  x.layers.includes('patrols') && !!x.checkins;

/**
 * The grid colouring's values on the chosen measure and the top of its scale
 * among the grids shown (the legend names the same top).
 */
export function gridValues(x: Pick<LayerInputs, 'tree' | 'live' | 'data' | 'area' | 'measure'>): {
  values: Map<string, number>;
  max: number;
} {
  const values = new Map<string, number>();
  if (x.measure === 'alerts') {
    for (const a of x.live.alerts.open()) values.set(a.gridId, (values.get(a.gridId) ?? 0) + 1);
  } else if (x.measure === 'population') {
    for (const p of x.data.population) values.set(p.gridCode, rangeValue(p.total));
  } else {
    // Coverage: colour the gap, so a poorly served grid is the hot one.
    for (const c of x.data.coverage) values.set(c.grid, 1 - c.share);
  }
  const grids = x.tree.grids(x.area);
  const max = x.measure === 'coverage' ? 1 : Math.max(1, ...grids.map((g) => values.get(g) ?? 0));
  return { values, max };
}

/**
 * Key-population counts summed at the level shown: one label per child of
 * the selected area (per grid once a community or grid is selected), never
 * one per grid of a whole city.
 */
export function populationLabels(
  tree: AreaTree,
  population: readonly PopulationRow[],
  area: string,
): { position: [number, number]; text: string }[] {
  const level = tree.level(area);
  const parts = level === 'grid' ? [area] : level === 'community' ? tree.grids(area) : tree.children(area);
  const byGrid = new Map(population.map((p) => [p.gridCode, p.total]));
  return parts.flatMap((code) => {
    const ranges = tree.grids(code).flatMap((g) => (byGrid.has(g) ? [byGrid.get(g)!] : []));
    const position = tree.centre(code);
    if (!ranges.length || !position) return [];
    return [{ position, text: `${t('重点', 'key')} ${rangeText(addRanges(ranges))}` }];
  });
}

/** What the stage draws: the layers, the labels placement may keep, and the symbols labels keep clear of. */
export interface MapDrawing {
  layers: Layer[];
  labels: LabelWish[];
  obstacles: { position: [number, number]; radius: number }[];
}

/** The largest radius an alert symbol reaches while it pulses (layers/cockpit-layers.ts alertStyle). */
function alertReach(a: AlertView): number {
  const sev = a.severity === 'critical' ? 1.3 : 1;
  return (
    sev * (({ raised: 14 * 1.6, dispatched: 12 * 1.25, acknowledged: 11 } as Record<string, number>)[a.state] ?? 6)
  );
}

const gridPaint = new GridPaintTracker();

/** Alert states drawn with a pulse (layers/cockpit-layers.ts alertStyle): only then does the clock change the picture. */
const PULSING = new Set(['raised', 'dispatched']);

/**
 * Everything drawn on the map for the current selection, bottom to top. With
 * `x.memo` (the cockpit's and the wall's), a group whose inputs are unchanged
 * returns the same layers (see layers/layer-memo.ts); without one, every group
 * is built anew.
 */
export function buildLayers(x: LayerInputs): MapDrawing {
  const memo = x.memo ?? new LayerMemo();
  const labels: LabelWish[] = [];
  const obstacles: MapDrawing['obstacles'] = [];
  const on = (l: LayerId) => x.layers.includes(l);
  const out: Layer[] = [];
  if (on('grids') || checkinColouring(x)) out.push(...gridLayers(x, memo));
  if (on('heat') && x.data.heat.count) {
    const size = weightsTextureSize(x.viewport.width, x.viewport.height);
    out.push(memo.get('heat', [x.data.heat, size], () => heatLayer('heat', x.data.heat, size)));
  }
  if (on('coverage'))
    out.push(
      ...memo.get('coverage', [x.data.facilities, x.data.reachMetres], () =>
        coverageLayers(x.data.facilities, x.data.reachMetres),
      ),
    );
  if (on('patrols'))
    out.push(...memo.get('patrols', [x.data.patrols, x.patrolAt], () => patrolLayers(x.data.patrols, x.patrolAt)));
  if (on('patrols') && x.fieldWorkers?.length) {
    // The workers' layers change with the minute (their updateTriggers), not with every tick.
    const workers = x.fieldWorkers;
    out.push(
      ...memo.get('field-workers', [workers, Math.floor(x.now / 60_000)], () => fieldWorkersLayers(workers, x.now)),
    );
  }
  if (on('events')) {
    const events = x.live.events.all();
    const arrived = x.live.events.arrivedAt;
    // The clock matters only while a dot is fresh (it pulses or fades); then every tick is a new picture.
    const fresh = [...arrived.values()].some((at) => x.now - at <= PULSE_MS);
    out.push(memo.get('events', [events, fresh ? x.now : 0], () => createLiveEventsLayer(events, arrived, x.now)));
  }
  if (on('devices')) {
    const open = x.live.alerts.open();
    const alarmed = [...new Set(open.map((a) => a.gatewayId))].sort().join(',');
    // Keyed by what is drawn, not by the pushed array (a new one every 2 s, mostly equal to the last); the layer
    // keeps the views of the push that built it, and draws nothing of them beyond what the fingerprint holds.
    const points = memo.get('devices', [x.tree, deviceFingerprint(x.live.gateways), alarmed], () => {
      const p = devicePoints(x.tree, x.live.gateways, open);
      return { points: p, layer: devicesLayer(p) };
    });
    out.push(points.layer);
    for (const p of points.points) obstacles.push({ position: p.position, radius: deviceRadius(p) + 2 });
  }
  if (on('population'))
    for (const l of memo.get('population', [x.tree, x.data.population, x.area], () =>
      populationLabels(x.tree, x.data.population, x.area),
    ))
      labels.push({ layer: 'population-counts', ...l, size: 16, priority: 30 });
  if (on('alerts')) {
    const all = x.live.alerts.all();
    const pulsing = all.some((a) => PULSING.has(a.state));
    out.push(
      memo.get('alerts', [all, x.selectedAlert, pulsing ? x.now : 0], () => alertsLayer(all, x.now, x.selectedAlert)),
    );
    for (const a of x.live.alerts.open()) obstacles.push({ position: [a.lng, a.lat], radius: alertReach(a) });
  }
  for (const m of x.maintenance ?? [])
    labels.push({ layer: 'maintenance-badges', ...m, size: 18, priority: 100, offset: [0, -28] });
  return { layers: out, labels, obstacles };
}

/**
 * The grid colouring, from the hub's vector tiles only: without an active city
 * (no tiles) there are none to draw. Its memo key is what is painted (area,
 * colouring (checkinColouring: by check-in coverage or by the measure),
 * measure and each shown grid's value) and whether the selected grid's ring has
 * arrived (AreaTree.loadRings, with its community's), so a tick that changes no
 * colour rebuilds nothing and the outline follows its ring.
 */
function gridLayers(x: LayerInputs, memo: LayerMemo): Layer[] {
  const tiles = x.gridTiles;
  if (!tiles) return [];
  const grids = x.tree.grids(x.area);
  const checkins = checkinColouring(x) ? x.checkins! : null;
  const colouring = checkins ? 'checkins' : 'measure';
  const { values, max } = checkins ? { values: new Map<string, number>(), max: 1 } : gridValues(x);
  const valueOf = (g: string): number | null => {
    if (checkins) return checkinShare(checkins.get(g)?.points ?? 0, checkins.get(g)?.visited ?? 0);
    return values.has(g) ? values.get(g)! / max : x.measure === 'alerts' ? 0 : null;
  };
  const painted = `${x.area}|${colouring}|${x.measure}|${grids.map((g) => valueOf(g) ?? '-').join(',')}`;
  const ring = x.tree.ring(x.area);
  return memo.get('grids', [x.tree, tiles, painted, ring?.length ?? 0], () => {
    const paint = new Map<string, number | null>();
    for (const g of grids) paint.set(g, valueOf(g));
    const out: Layer[] = [gridTilesLayer(tiles, gridPaint.paint(paint, x.area, colouring))];
    if (paint.has(x.area) && ring?.length) out.push(gridOutlineLayer(ring));
    return out;
  });
}

/** Gateways sit at their community's centre (they are named gw-<community code>). */
export function devicePoints(tree: AreaTree, views: readonly GatewayView[], open: readonly AlertView[]): DevicePoint[] {
  const alarmed = new Set(open.map((a) => a.gatewayId));
  return views
    .map((view) => ({
      view,
      position: tree.centre(view.areaCode ?? view.id.replace(/^gw-/, '')),
      alarm: alarmed.has(view.id),
    }))
    .filter((p): p is DevicePoint => p.position !== null);
}
