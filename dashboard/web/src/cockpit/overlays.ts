import type { Layer } from '@deck.gl/core';
import type { CoverageRow, GatewayView } from '@linli/contract';
import type { GetReply } from '@linli/contract/browser';
import type { AlertView } from '../alert-store.js';
import type { Api } from '../api.js';
import type { AreaTree } from '../area-tree.js';
import { formatCount } from '../i18n.js';
import {
  alertsLayer,
  countLabelsLayer,
  coverageLayers,
  type DevicePoint,
  devicesLayer,
  type FacilityView,
  type GridCell,
  gridChoroplethLayer,
  type HeatData,
  heatLayer,
  type PatrolTrack,
  patrolLayers,
  weightsTextureSize,
} from '../layers/cockpit-layers.js';
import { createLiveEventsLayer } from '../layers/live-events-layer.js';
import type { Live } from '../live.js';
import type { LayerId, Measure } from '../view-state.js';

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
  const positions = Float32Array.from(r.positions, (v) => v ?? 0);
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
  /** 维护中 badges just above the centre of areas with an active maintenance window (clear of the area's name). */
  maintenance?: readonly { position: [number, number]; text: string }[];
}

/** Everything drawn on the map for the current selection, bottom to top. */
export function buildLayers(x: LayerInputs): Layer[] {
  const on = (l: LayerId) => x.layers.includes(l);
  const grids = x.tree.grids(x.area);
  const out: Layer[] = [];
  if (on('grids')) {
    const values = new Map<string, number>();
    if (x.measure === 'alerts') {
      for (const a of x.live.alerts.open()) values.set(a.gridId, (values.get(a.gridId) ?? 0) + 1);
    } else if (x.measure === 'population') {
      for (const p of x.data.population) values.set(p.gridCode, rangeValue(p.total));
    } else {
      // Coverage: colour the gap, so a poorly served grid is the hot one.
      for (const c of x.data.coverage) values.set(c.grid, 1 - c.share);
    }
    const max = x.measure === 'coverage' ? 1 : Math.max(1, ...grids.map((g) => values.get(g) ?? 0));
    const cells: GridCell[] = grids
      .map((code) => ({ code, ring: x.tree.ring(code) ?? [] }))
      .filter((c) => c.ring.length)
      .map((c) => ({
        ...c,
        value: values.has(c.code) ? values.get(c.code)! / max : x.measure === 'alerts' ? 0 : null,
        selected: c.code === x.area,
      }));
    out.push(gridChoroplethLayer(cells));
  }
  if (on('heat') && x.data.heat.count)
    out.push(heatLayer('heat', x.data.heat, weightsTextureSize(x.viewport.width, x.viewport.height)));
  if (on('coverage')) out.push(...coverageLayers(x.data.facilities, x.data.reachMetres));
  if (on('patrols')) out.push(...patrolLayers(x.data.patrols, x.patrolAt));
  if (on('events')) out.push(createLiveEventsLayer(x.live.events.all(), x.live.events.arrivedAt, x.now));
  if (on('devices')) out.push(devicesLayer(devicePoints(x.tree, x.live.gateways, x.live.alerts.open())));
  if (on('population')) {
    const inArea = new Set(grids);
    out.push(
      countLabelsLayer(
        'population-counts',
        x.data.population
          .filter((p) => inArea.has(p.gridCode))
          .map((p) => ({ position: x.tree.centre(p.gridCode)!, text: `重点 ${rangeText(p.total)}` }))
          .filter((l) => l.position),
      ),
    );
  }
  if (on('alerts')) out.push(alertsLayer(x.live.alerts.all(), x.now, x.selectedAlert));
  if (x.maintenance?.length) out.push(countLabelsLayer('maintenance-badges', x.maintenance, 18, [0, -28]));
  return out;
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
