import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { TripsLayer } from '@deck.gl/geo-layers';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { GatewayView } from '@linli/contract';
import type { AlertView } from '../alert-store.js';

type RGBA = [number, number, number, number];

/** Dark-blue to hot-orange: readable on the dark basemap from across a room (the grid legend draws the same). */
export const RAMP_STOPS: readonly [number, number, number][] = [
  [18, 58, 107],
  [40, 120, 190],
  [250, 200, 60],
  [255, 110, 50],
  [230, 40, 50],
];
/** A grid with nothing to show on the chosen measure. */
export const NO_VALUE_FILL: RGBA = [18, 58, 107, 60];

export function ramp(v: number): [number, number, number] {
  const stops = RAMP_STOPS;
  const x = Math.min(0.9999, Math.max(0, v)) * (stops.length - 1);
  const i = Math.floor(x);
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * f)) as [number, number, number];
}

/** How an alert is drawn, by state first (the work), severity second. Tests read this too. */
export function alertStyle(a: AlertView, now: number): { color: RGBA; radius: number; pulse: boolean } {
  const sev = a.severity === 'critical' ? 1.3 : 1;
  const phase = Math.sin((now - a.stateSince) / 160);
  switch (a.state) {
    case 'raised':
      return {
        color: a.severity === 'critical' ? [255, 60, 60, 240] : [255, 140, 40, 235],
        radius: 14 * sev * (1.25 + 0.35 * phase),
        pulse: true,
      };
    case 'dispatched':
      return { color: [255, 190, 40, 235], radius: 12 * sev * (1.1 + 0.15 * phase), pulse: true };
    case 'acknowledged':
      return { color: [63, 182, 255, 235], radius: 11 * sev, pulse: false };
    case 'resolved':
      return { color: [53, 208, 127, 150], radius: 6, pulse: false };
    default:
      return { color: [130, 140, 160, 120], radius: 5, pulse: false };
  }
}

export function alertsLayer(alerts: readonly AlertView[], now: number, selectedId: string | null) {
  return new ScatterplotLayer<AlertView>({
    id: 'alerts',
    data: alerts,
    pickable: true,
    getPosition: (a) => [a.lng, a.lat],
    getFillColor: (a) => alertStyle(a, now).color,
    getRadius: (a) => alertStyle(a, now).radius,
    radiusUnits: 'pixels',
    stroked: true,
    getLineColor: (a) => (a.id === selectedId ? [255, 255, 255, 255] : [10, 20, 40, 220]),
    getLineWidth: (a) => (a.id === selectedId ? 4 : 2),
    lineWidthUnits: 'pixels',
    updateTriggers: { getFillColor: now, getRadius: now, getLineColor: selectedId, getLineWidth: selectedId },
    parameters: { depthCompare: 'always' },
  });
}

export interface HeatData {
  positions: Float32Array;
  weights: Float32Array;
  count: number;
}

/** The heat kernel's radius on screen, px. */
const HEAT_RADIUS_PX = 40;

/**
 * The side of the texture deck.gl sums the heat weights into: a power of two
 * giving one texel per eighth of the kernel's radius (5 px) across the
 * viewport's longer side. The 40 px kernel cannot show anything finer, and a
 * screen-sized texture (2048² on a 1920 wall) cost the wall's first render
 * under a software GPU 5.5 s against 3.9 s at 512² (SwiftShader, bench/cockpit-first-render.bench.mjs).
 */
export function weightsTextureSize(width: number, height: number): number {
  const texels = Math.max(width, height, 1) / (HEAT_RADIUS_PX / 8);
  return Math.min(2048, Math.max(128, 2 ** Math.ceil(Math.log2(texels))));
}

/** The heatmap's colours, low to high (deck.gl's default, named so the legend draws the same). */
export const HEAT_COLORS: [number, number, number][] = [
  [255, 255, 178],
  [254, 217, 118],
  [254, 178, 76],
  [253, 141, 60],
  [240, 59, 32],
  [189, 0, 38],
];

export function heatLayer(id: string, heat: HeatData, textureSize: number, colorful = true) {
  return new HeatmapLayer({
    id,
    data: {
      length: heat.count,
      attributes: {
        getPosition: { value: heat.positions, size: 2 },
        getWeight: { value: heat.weights, size: 1 },
      },
    },
    radiusPixels: HEAT_RADIUS_PX,
    intensity: 1.2,
    threshold: 0.04,
    aggregation: 'SUM',
    weightsTextureSize: textureSize,
    ...(colorful
      ? { colorRange: HEAT_COLORS }
      : {
          colorRange: [
            [40, 60, 120],
            [70, 110, 200],
            [120, 160, 240],
            [170, 200, 255],
            [210, 230, 255],
            [255, 255, 255],
          ],
        }),
    parameters: { depthCompare: 'always' },
  });
}

export interface FacilityView {
  id: string;
  type: string;
  name: string;
  position: [number, number];
}

/** Facility colours by type (the coverage legend names them). */
export const FACILITY_COLOUR: Record<string, [number, number, number]> = {
  'elderly-care': [255, 160, 200],
  clinic: [120, 230, 160],
  canteen: [255, 200, 90],
  convenience: [150, 180, 255],
  park: [90, 200, 120],
};

/** Facilities, with a faint disc of the 15-minute reach (straight line; the per-grid shares use the walk graph). */
export function coverageLayers(facilities: readonly FacilityView[], reachMetres: number) {
  const colour = FACILITY_COLOUR;
  return [
    new ScatterplotLayer<FacilityView>({
      id: 'coverage-reach',
      data: facilities,
      getPosition: (f) => f.position,
      getRadius: reachMetres,
      radiusUnits: 'meters',
      getFillColor: (f) => [...(colour[f.type] ?? [200, 200, 200]), 18],
      parameters: { depthCompare: 'always' },
    }),
    new ScatterplotLayer<FacilityView>({
      id: 'coverage-facilities',
      data: facilities,
      pickable: true,
      getPosition: (f) => f.position,
      getRadius: 7,
      radiusUnits: 'pixels',
      getFillColor: (f) => [...(colour[f.type] ?? [200, 200, 200]), 255],
      stroked: true,
      getLineColor: [7, 16, 31, 255],
      lineWidthMinPixels: 2,
      parameters: { depthCompare: 'always' },
    }),
  ];
}

export interface DevicePoint {
  view: GatewayView;
  position: [number, number];
  alarm: boolean;
}

/** Gateway symbol colours (the devices legend draws the same). */
export const DEVICE_COLOURS = {
  online: [53, 208, 127, 230] as RGBA,
  offline: [255, 77, 79, 230] as RGBA,
  alarmRing: [255, 176, 32, 255] as RGBA,
};

/** A gateway symbol's radius, pixels: larger with a larger backlog (labels keep clear of it too). */
export const deviceRadius = (p: DevicePoint) =>
  8 + Math.min(14, Math.log10(1 + (p.view.status?.buffer.depth ?? 0)) * 4);

/** One symbol per community gateway: green online, red offline, amber ring when an alert is open; size by backlog. */
export function devicesLayer(points: readonly DevicePoint[]) {
  return new ScatterplotLayer<DevicePoint>({
    id: 'devices',
    data: points,
    pickable: true,
    getPosition: (p) => p.position,
    getFillColor: (p) => (p.view.connected ? DEVICE_COLOURS.online : DEVICE_COLOURS.offline),
    getRadius: deviceRadius,
    radiusUnits: 'pixels',
    stroked: true,
    getLineColor: (p) => (p.alarm ? DEVICE_COLOURS.alarmRing : [7, 16, 31, 255]),
    getLineWidth: (p) => (p.alarm ? 4 : 2),
    lineWidthUnits: 'pixels',
    parameters: { depthCompare: 'always' },
  });
}

export interface PatrolTrack {
  grid: string;
  worker: string;
  path: [number, number][];
  timestamps: number[];
}

/**
 * Patrol tracks with deck.gl's TripsLayer: each track drawn up to the slider's
 * time with a fading trail (the GPU does the cut), plus the worker's position
 * as a dot. Timestamps are made relative to the earliest one, because the GPU
 * holds them as 32-bit floats and epoch seconds would lose the minutes.
 */
export function patrolLayers(tracks: readonly PatrolTrack[], t: number, trailSeconds = 3600) {
  const base = Math.min(...tracks.flatMap((tr) => tr.timestamps.slice(0, 1)), t);
  const cut = tracks.map((tr) => {
    let head: [number, number] | null = null;
    for (let i = 0; i < tr.path.length; i++) {
      const ti = tr.timestamps[i]!;
      if (ti > t) {
        if (i > 0) {
          const t0 = tr.timestamps[i - 1]!;
          const f = (t - t0) / (ti - t0);
          const a = tr.path[i - 1]!;
          const b = tr.path[i]!;
          head = [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
        }
        break;
      }
      head = tr.path[i]!;
    }
    return { worker: tr.worker, head };
  });
  return [
    new TripsLayer<PatrolTrack>({
      id: 'patrol-trails',
      data: tracks as PatrolTrack[],
      getPath: (tr) => tr.path,
      getTimestamps: (tr) => tr.timestamps.map((ts) => ts - base),
      currentTime: t - base,
      trailLength: trailSeconds,
      fadeTrail: true,
      getColor: [120, 255, 220],
      opacity: 0.85,
      getWidth: 3,
      widthUnits: 'pixels',
      jointRounded: true,
      capRounded: true,
      parameters: { depthCompare: 'always' },
    }),
    new ScatterplotLayer<(typeof cut)[number]>({
      id: 'patrol-heads',
      data: cut.filter((c) => c.head !== null),
      getPosition: (c) => c.head!,
      getRadius: 6,
      radiusUnits: 'pixels',
      getFillColor: [120, 255, 220, 255],
      stroked: true,
      getLineColor: [7, 16, 31, 255],
      lineWidthMinPixels: 2,
      updateTriggers: { getPosition: t },
      parameters: { depthCompare: 'always' },
    }),
  ];
}
