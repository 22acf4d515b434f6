import { ScatterplotLayer } from '@deck.gl/layers';
import type { LinliEvent, Severity } from '@linli/contract';

export const SEVERITY_COLOR: Record<Severity, [number, number, number]> = {
  info: [63, 182, 255],
  notice: [140, 220, 120],
  warning: [255, 176, 32],
  critical: [255, 77, 79],
};

/** How long a new event pulses on the map. */
export const PULSE_MS = 60_000;

/**
 * Recent events as dots; alarms pulse for a minute after arrival. `now`
 * drives the animation (passed in, so the layer stays a pure function of props).
 */
export function createLiveEventsLayer(
  events: readonly LinliEvent[],
  arrivedAt: ReadonlyMap<string, number>,
  now: number,
) {
  return new ScatterplotLayer<LinliEvent>({
    id: 'live-events',
    data: events,
    getPosition: (e) => [e.location.lng, e.location.lat],
    getFillColor: (e) => {
      const age = now - (arrivedAt.get(e.id) ?? 0);
      const fade = age < PULSE_MS ? 230 : e.severity === 'critical' || e.severity === 'warning' ? 160 : 90;
      return [...SEVERITY_COLOR[e.severity], fade];
    },
    getRadius: (e) => {
      const age = now - (arrivedAt.get(e.id) ?? 0);
      const base = e.severity === 'critical' ? 14 : e.severity === 'warning' ? 10 : 5;
      if (age > PULSE_MS || (e.severity !== 'critical' && e.severity !== 'warning')) return base;
      return base * (1.4 + 0.6 * Math.sin(age / 180));
    },
    radiusUnits: 'pixels',
    stroked: true,
    getLineColor: [255, 255, 255, 160],
    lineWidthMinPixels: 1,
    updateTriggers: { getRadius: now, getFillColor: now },
    parameters: { depthCompare: 'always' },
  });
}
