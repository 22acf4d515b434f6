// Frame-time harness (bench/cockpit-frame-time.bench.mjs): one MapLibre map
// with a deck.gl overlay drawn inside its WebGL context, as the cockpit's
// Stage does (stage.ts), and N alert points replaced every second. Modes:
//  - cockpit: the cockpit's own alertsLayer (layers/cockpit-layers.ts), rebuilt
//    every 150 ms with `now` as the wall does (wall-view.ts redraw: pulsing alerts);
//  - cockpit-1hz: the same layer rebuilt only when the data changes;
//  - bare: deck.gl's ScatterplotLayer with constant colour and radius.
// The map repaints on every animation frame (as during the wall's tour);
// rAF deltas are recorded for the bench to read.
/* global window, requestAnimationFrame */
import 'maplibre-gl/dist/maplibre-gl.css';
import { ScatterplotLayer } from '@deck.gl/layers';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url';
import { alertsLayer } from '../../../dashboard/web/src/layers/cockpit-layers.ts';

setWorkerUrl(workerUrl);

const STATES = ['raised', 'dispatched', 'acknowledged', 'resolved'];
const SEVERITIES = ['critical', 'warning'];

/** Deterministic PRNG (mulberry32): every mode draws the same points. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** N alerts (AlertView shape) at random points inside the given grid boxes; `tick` moves and re-states them. */
function makeAlerts(n, boxes, tick) {
  const r = prng(42);
  const out = new Array(n);
  const t0 = 1_790_000_000_000;
  for (let i = 0; i < n; i++) {
    const [x0, y0, x1, y1] = boxes[i % boxes.length];
    const jitter = (r() - 0.5) * 0.0004 * Math.sin(tick + i);
    out[i] = {
      id: `a${i}`,
      state: STATES[(i + tick) % STATES.length],
      level: 1,
      version: tick + 1,
      kind: 'smoke.alarm',
      severity: SEVERITIES[i % 2],
      gatewayId: 'gw-bench',
      deviceId: `dev-${i}`,
      gridId: 'bench',
      lng: x0 + (x1 - x0) * r() + jitter,
      lat: y0 + (y1 - y0) * r() + jitter,
      count: 1,
      raisedAt: t0,
      stateSince: t0 + tick * 1000,
      updatedAt: t0 + tick * 1000,
      assignee: null,
      resolution: null,
    };
  }
  return out;
}

function bareLayer(data) {
  return new ScatterplotLayer({
    id: 'bare',
    data,
    getPosition: (a) => [a.lng, a.lat],
    getFillColor: [255, 60, 60, 240],
    getRadius: 12,
    radiusUnits: 'pixels',
    parameters: { depthCompare: 'always' },
  });
}

window.harness = {
  frames: [],
  ready: false,
  updates: 0,
  lastFrameAt: 0,
  /** Main-thread time in long tasks (> 50 ms), ms: the layers' JS work, which SwiftShader's slow frames hide. */
  busy: 0,
  async start({ mode, n, boxes, bounds }) {
    const map = new MapLibreMap({
      container: 'map',
      style: {
        version: 8,
        sources: {},
        layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#07101f' } }],
      },
      bounds,
      fitBoundsOptions: { padding: 40 },
      attributionControl: false,
      interactive: false,
    });
    await new Promise((res) => map.once('load', res));
    const overlay = new MapLibreOverlay({ interleaved: true, layers: [] });
    map.addControl(overlay);
    // Two generations made up front and swapped, so the measured frames carry the layers' work, not the generator's.
    const generations = [makeAlerts(n, boxes, 0), makeAlerts(n, boxes, 1)];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) this.busy += e.duration;
    }).observe({ type: 'longtask' });
    let tick = 0;
    let data = generations[0];
    const draw = () =>
      overlay.setProps({
        layers: [mode === 'bare' ? bareLayer(data) : alertsLayer(data, Date.now(), null)],
      });
    draw();
    // 1 Hz: every point changes (a new array, as AlertStore.upsert gives the cockpit).
    setInterval(() => {
      tick++;
      data = generations[tick % 2];
      this.updates++;
      draw();
    }, 1000);
    if (mode === 'cockpit') setInterval(draw, 150);
    let last = performance.now();
    const frame = (t) => {
      this.frames.push(t - last);
      last = t;
      this.lastFrameAt = t;
      map.triggerRepaint();
      requestAnimationFrame(frame);
    };
    map.once('render', () => {
      this.ready = true;
      last = performance.now();
      this.lastFrameAt = last;
      requestAnimationFrame(frame);
    });
    map.triggerRepaint();
  },
};
