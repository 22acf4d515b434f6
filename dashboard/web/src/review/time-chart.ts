import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatCount, lang, t } from '../i18n.js';
import { axis, type Ink, ink } from './chart-theme.js';
import type { Series } from './review-data.js';

const HOUR = 3_600_000;

/**
 * Events and alerts per hour or day over the period, with the period before
 * drawn dashed on the same days (its bucket i beside this period's bucket i),
 * so the eye compares shapes, not two lists of numbers. Events on the left
 * axis, alerts (far fewer) on the right.
 */
export function timeChart(host: HTMLElement, s: Series, width: number, height = 220, k: Ink = ink('panel')): uPlot {
  const n = s.current.events.length;
  const x = Array.from({ length: n }, (_, i) => (s.current.from + i * s.bucketMs) / 1000);
  const hourly = s.bucketMs <= HOUR;
  const tick = new Intl.DateTimeFormat(
    lang === 'en' ? 'en-GB' : 'zh-CN',
    hourly ? { hour: '2-digit', minute: '2-digit', hour12: false } : { month: 'numeric', day: 'numeric' },
  );
  const opts: uPlot.Options = {
    width,
    height,
    padding: [8 * k.scale, 4 * k.scale, 0, 4 * k.scale],
    scales: {
      x: { time: true },
      y: { range: (_u, _lo, hi) => [0, Math.max(4, hi * 1.1)] },
      alerts: { range: (_u, _lo, hi) => [0, Math.max(4, hi * 1.15)] },
    },
    series: [
      { label: t('日期', 'Date'), value: (_u, v) => (v === null ? '–' : tick.format(v * 1000)) },
      {
        label: t('事件 本期', 'Events, this period'),
        stroke: '#2f9be0',
        width: 2 * k.scale,
        fill: 'rgba(63, 182, 255, 0.12)',
      },
      {
        label: t('事件 上期', 'Events, period before'),
        stroke: '#2f9be0',
        width: 1.5 * k.scale,
        dash: [6 * k.scale, 4 * k.scale],
      },
      { label: t('告警 本期', 'Alerts, this period'), stroke: '#ff6b4a', width: 2 * k.scale, scale: 'alerts' },
      {
        label: t('告警 上期', 'Alerts, period before'),
        stroke: '#ff6b4a',
        width: 1.5 * k.scale,
        dash: [6 * k.scale, 4 * k.scale],
        scale: 'alerts',
      },
    ],
    axes: [
      axis(k, (_u, splits) => splits.map((v) => tick.format(v * 1000))),
      axis(k, (_u, splits) => splits.map((v) => formatCount(v))),
      {
        ...axis(k, (_u, splits) => splits.map((v) => formatCount(v))),
        scale: 'alerts',
        side: 1,
        grid: { show: false },
      },
    ],
    legend: { live: true },
  };
  const data: uPlot.AlignedData = [x, s.current.events, s.previous.events, s.current.alerts, s.previous.alerts];
  return new uPlot(opts, data, host);
}
