import uPlot from 'uplot';
import { formatDuration, t } from '../i18n.js';
import { axis, type Ink, ink } from './chart-theme.js';
import type { Series } from './review-data.js';

const MIN = 60_000;
/** Upper edges of the bins (the last is open): minutes for the urgent, hours for the rest. */
export const BIN_EDGES = [
  MIN,
  5 * MIN,
  15 * MIN,
  30 * MIN,
  60 * MIN,
  2 * 60 * MIN,
  4 * 60 * MIN,
  8 * 60 * MIN,
  24 * 60 * MIN,
];
const BIN_LABELS = ['≤1′', '1–5′', '5–15′', '15–30′', '30′–1h', '1–2h', '2–4h', '4–8h', '8–24h', '>24h'];

/** How many durations fall in each bin. */
export function histogram(ms: readonly number[]): number[] {
  const out = new Array<number>(BIN_EDGES.length + 1).fill(0);
  for (const v of ms) {
    const i = BIN_EDGES.findIndex((edge) => v <= edge);
    out[i < 0 ? BIN_EDGES.length : i]!++;
  }
  return out;
}

/** Where a duration falls on the bin axis, between bin centres (log-interpolated inside its bin). */
export function binPosition(ms: number): number {
  const edges = [0, ...BIN_EDGES];
  for (let i = 1; i < edges.length; i++)
    if (ms <= edges[i]!) {
      const lo = Math.max(edges[i - 1]!, MIN / 2);
      const f = Math.min(1, Math.max(0, Math.log(ms / lo) / Math.log(edges[i]! / lo)));
      return i - 1 - 0.5 + f;
    }
  return BIN_EDGES.length;
}

/** Share of durations within the limit. */
export const withinShare = (ms: readonly number[], limit: number) =>
  ms.length ? ms.filter((v) => v <= limit).length / ms.length : null;

/**
 * How long alerts waited: alerts per response-time bin, to acknowledge and to
 * resolve side by side, with the SLA of each drawn as a vertical line where
 * it falls (the default timers; critical alarms have shorter ones, named in
 * the caption).
 */
export function responseChart(host: HTMLElement, s: Series, width: number, height = 190, k: Ink = ink('panel')): uPlot {
  const x = BIN_LABELS.map((_, i) => i);
  const bars = uPlot.paths.bars!({ size: [0.4, 40 * k.scale], align: 0 });
  const slaLine = (u: uPlot, ms: number, colour: string, label: string, lineNo: number) => {
    const px = u.valToPos(binPosition(ms), 'x', true);
    const { top, height } = u.bbox;
    u.ctx.save();
    u.ctx.strokeStyle = colour;
    u.ctx.setLineDash([5, 4]);
    u.ctx.lineWidth = 2 * k.scale * devicePixelRatio;
    u.ctx.beginPath();
    u.ctx.moveTo(px, top);
    u.ctx.lineTo(px, top + height);
    u.ctx.stroke();
    u.ctx.fillStyle = colour;
    u.ctx.font = `${12 * k.scale * devicePixelRatio}px "Noto Sans SC", sans-serif`;
    u.ctx.fillText(label, px + 4 * k.scale * devicePixelRatio, top + (14 + 16 * lineNo) * k.scale * devicePixelRatio);
    u.ctx.restore();
  };
  const opts: uPlot.Options = {
    width,
    height,
    padding: [8 * k.scale, 4 * k.scale, 0, 4 * k.scale],
    scales: {
      x: { time: false, range: [-0.6, BIN_LABELS.length - 0.4] },
      y: { range: (_u, _lo, hi) => [0, Math.max(1, hi * 1.15)] },
    },
    series: [
      { label: t('用时', 'Time'), value: (_u, v) => (v === null ? '–' : (BIN_LABELS[v] ?? '')) },
      {
        label: t('签收用时', 'Time to acknowledge'),
        fill: 'rgba(63, 182, 255, 0.75)',
        stroke: '#3fb6ff',
        paths: bars,
        points: { show: false },
      },
      {
        label: t('办结用时', 'Time to resolve'),
        fill: 'rgba(53, 208, 127, 0.75)',
        stroke: '#35d07f',
        paths: uPlot.paths.bars!({ size: [0.4, 40 * k.scale], align: 1 }),
        points: { show: false },
      },
    ],
    axes: [
      {
        ...axis(k, (_u, splits) => splits.map((v) => (Number.isInteger(v) ? (BIN_LABELS[v] ?? '') : ''))),
        space: 20 * k.scale,
      },
      axis(k, (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : ''))),
    ],
    hooks: {
      draw: [
        (u) => {
          slaLine(
            u,
            s.sla.default.ackMs,
            '#1f8fd6',
            `${t('签收时限', 'ack SLA')} ${formatDuration(s.sla.default.ackMs)}`,
            0,
          );
          slaLine(
            u,
            s.sla.default.resolveMs,
            '#1fa863',
            `${t('办结时限', 'resolve SLA')} ${formatDuration(s.sla.default.resolveMs)}`,
            1,
          );
        },
      ],
    },
    legend: { live: false },
  };
  return new uPlot(opts, [x, histogram(s.response.ackMs), histogram(s.response.resolveMs)], host);
}
