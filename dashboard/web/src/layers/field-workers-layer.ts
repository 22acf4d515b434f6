import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { FieldWorker } from '@linli/contract';

/** A worker on patrol or on a task, as /api/field/workers returns them (only to roles that oversee field work). */
export type FieldWorkerView = FieldWorker;

/** "3 分钟前": how old the last position is. */
export function ageText(at: number, now: number): string {
  const min = Math.max(0, Math.floor((now - at) / 60_000));
  return min < 1 ? '刚刚' : min < 60 ? `${min} 分钟前` : `${Math.floor(min / 60)} 小时前`;
}

/**
 * Workers in the field: a dot at the last known position (yellow on patrol,
 * blue on a task), fading as the position ages, with name and age.
 */
export function fieldWorkersLayers(workers: readonly FieldWorkerView[], now: number) {
  const alpha = (w: FieldWorkerView) => Math.max(90, 255 - Math.floor((now - w.at) / 60_000) * 8);
  return [
    new ScatterplotLayer<FieldWorkerView>({
      id: 'field-workers',
      data: workers as FieldWorkerView[],
      getPosition: (w) => [w.lng, w.lat],
      getRadius: 8,
      radiusUnits: 'pixels',
      getFillColor: (w) => (w.patrolId ? [255, 212, 0, alpha(w)] : [80, 160, 255, alpha(w)]),
      stroked: true,
      getLineColor: [7, 16, 31, 255],
      lineWidthMinPixels: 2,
      pickable: true,
      updateTriggers: { getFillColor: Math.floor(now / 60_000) },
      parameters: { depthCompare: 'always' },
    }),
    new TextLayer<FieldWorkerView>({
      id: 'field-worker-labels',
      data: workers as FieldWorkerView[],
      getPosition: (w) => [w.lng, w.lat],
      getPixelOffset: [0, -20],
      getText: (w) => `${w.name} · ${ageText(w.at, now)}`,
      characterSet: 'auto',
      fontFamily: '"Noto Sans SC", sans-serif',
      fontWeight: 700,
      getSize: 13,
      sizeUnits: 'pixels',
      getColor: [255, 236, 170, 255],
      outlineWidth: 3,
      outlineColor: [7, 16, 31, 230],
      fontSettings: { sdf: true, buffer: 6 },
      updateTriggers: { getText: Math.floor(now / 60_000) },
      parameters: { depthCompare: 'always' },
    }),
  ];
}
