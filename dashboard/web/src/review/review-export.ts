import type uPlot from 'uplot';
import { formatDateTime, t } from '../i18n.js';
import { HEAT_COLORS, RAMP_STOPS } from '../layers/cockpit-layers.js';
import { ink } from './chart-theme.js';
import type { Series } from './review-data.js';
import { responseChart } from './response-chart.js';
import { timeChart } from './time-chart.js';

/** A4 landscape, 297 × 210 mm, at 192 dpi (twice the CSS pixel): sharp on paper, a few MB as PNG. */
export const REPORT = { width: 2245, height: 1587, scale: 2 } as const;

/** What the report says, besides the pictures. */
export interface ReportText {
  title: string;
  area: string;
  period: string;
  /** Key figures, one line each ("告警 120（上期 98，+22%）"). */
  figures: [string, string][];
  /** The grids with most alerts and slowest response. */
  tops: { title: string; lines: string[] }[];
  /** The map's grid scale (alerts) top. */
  gridMax: number;
  heatTotal: number;
  source: string;
}

/**
 * The review as one A4 landscape page: title, area and period; the map with
 * its legends; the period chart and the response-time distribution (drawn
 * again for paper); the key figures and top grids; when it was made and from
 * what. The same page is the PNG and, printed, the PDF.
 */
export async function composeReport(map: HTMLCanvasElement, series: Series, x: ReportText): Promise<HTMLCanvasElement> {
  const s = REPORT.scale;
  const c = document.createElement('canvas');
  c.width = REPORT.width;
  c.height = REPORT.height;
  const g = c.getContext('2d')!;
  await document.fonts.load(`700 ${24 * s}px "Noto Sans SC"`, x.title + x.area + x.period);
  g.fillStyle = '#ffffff';
  g.fillRect(0, 0, c.width, c.height);
  const text = (str: string, px: number, y: number, size: number, colour = '#142d5a', weight = 400) => {
    g.font = `${weight} ${size * s}px "Noto Sans SC", sans-serif`;
    g.fillStyle = colour;
    g.fillText(str, px * s, y * s);
  };
  const M = 28;
  text(x.title, M, 44, 24, '#0b2a5b', 700);
  text(`${x.area} · ${x.period}`, M, 70, 14, '#33415c');

  // The map, fitted into its box without stretching.
  const box = { x: M, y: 86, w: 600, h: 440 };
  const k = Math.min(box.w / map.width, box.h / map.height);
  const mw = map.width * k;
  const mh = map.height * k;
  g.fillStyle = '#07101f';
  g.fillRect(box.x * s, box.y * s, box.w * s, box.h * s);
  g.drawImage(map, (box.x + (box.w - mw) / 2) * s, (box.y + (box.h - mh) / 2) * s, mw * s, mh * s);
  legendBar(g, RAMP_STOPS, M, 548, t('网格着色：告警数', 'Grids: alerts'), '0', String(Math.round(x.gridMax)), s);
  legendBar(g, HEAT_COLORS, M + 310, 548, t('事件热力', 'Event heatmap'), t('少', 'few'), t('多', 'many'), s);

  // The charts, drawn again in paper ink at the report's scale.
  const right = { x: 650, w: 1123 - 650 - M };
  text(t('事件与告警（虚线为上期）', 'Events and alerts (dashed: period before)'), right.x, 100, 14, '#0b2a5b', 700);
  await drawChart(g, (host) => timeChart(host, series, right.w * s, 220 * s, ink('paper', s)), right.x * s, 108 * s);
  key(g, right.x, 342, s, [
    ['#2f9be0', false, t('事件 本期', 'events, this period')],
    ['#2f9be0', true, t('事件 上期', 'events, before')],
    ['#ff6b4a', false, t('告警 本期', 'alerts, this period')],
    ['#ff6b4a', true, t('告警 上期', 'alerts, before')],
  ]);
  text(t('响应用时分布', 'Response times'), right.x, 374, 14, '#0b2a5b', 700);
  await drawChart(
    g,
    (host) => responseChart(host, series, right.w * s, 180 * s, ink('paper', s)),
    right.x * s,
    382 * s,
  );
  key(g, right.x, 574, s, [
    ['#3fb6ff', false, t('签收用时（产生→签收）', 'to acknowledge (from raise)')],
    ['#35d07f', false, t('办结用时（产生→办结）', 'to resolve (from raise)')],
  ]);

  // Figures and top grids under the map and charts.
  let y = 606;
  for (const [k2, v] of x.figures) {
    text(k2, M, y, 12, '#4a5d7e');
    text(v, M + 120, y, 12);
    y += 20;
  }
  x.tops.forEach((top, i) => {
    const left = 650 + i * 230;
    text(top.title, left, 606, 12, '#0b2a5b', 700);
    top.lines.slice(0, 5).forEach((l, j) => text(`${j + 1}. ${l}`, left, 626 + j * 18, 11));
  });
  text(
    `${t('生成时间', 'Generated')} ${formatDateTime(Date.now())} · ${t('数据来源', 'Source')}：${x.source}`,
    M,
    790 - 14,
    10,
    '#4a5d7e',
  );
  return c;
}

/** What the chart's lines mean: colour, dashed or not, and words. */
function key(g: CanvasRenderingContext2D, x: number, y: number, s: number, entries: [string, boolean, string][]): void {
  let at = x;
  g.font = `${11 * s}px "Noto Sans SC", sans-serif`;
  for (const [colour, dashed, label] of entries) {
    g.strokeStyle = colour;
    g.lineWidth = 2.5 * s;
    g.setLineDash(dashed ? [5 * s, 3 * s] : []);
    g.beginPath();
    g.moveTo(at * s, (y - 4) * s);
    g.lineTo((at + 18) * s, (y - 4) * s);
    g.stroke();
    g.setLineDash([]);
    g.fillStyle = '#33415c';
    g.fillText(label, (at + 22) * s, y * s);
    at += 28 + g.measureText(label).width / s;
  }
}

/** A chart rendered off screen, copied onto the report, then thrown away. */
async function drawChart(
  g: CanvasRenderingContext2D,
  make: (host: HTMLElement) => uPlot,
  x: number,
  y: number,
): Promise<void> {
  const host = document.createElement('div');
  host.style.cssText = 'position:absolute;left:-20000px;top:0';
  document.body.append(host);
  const u = make(host);
  // uPlot draws on its next commit, not in the constructor: wait for the frame.
  await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  g.drawImage(u.ctx.canvas, x, y, u.ctx.canvas.width / devicePixelRatio, u.ctx.canvas.height / devicePixelRatio);
  u.destroy();
  host.remove();
}

function legendBar(
  g: CanvasRenderingContext2D,
  colours: readonly (readonly number[])[],
  x: number,
  y: number,
  title: string,
  low: string,
  high: string,
  s: number,
): void {
  g.font = `700 ${12 * s}px "Noto Sans SC", sans-serif`;
  g.fillStyle = '#0b2a5b';
  g.fillText(title, x * s, y * s);
  const grad = g.createLinearGradient(x * s, 0, (x + 260) * s, 0);
  colours.forEach((c, i) => grad.addColorStop(i / (colours.length - 1), `rgb(${c[0]}, ${c[1]}, ${c[2]})`));
  g.fillStyle = grad;
  g.fillRect(x * s, (y + 8) * s, 260 * s, 10 * s);
  g.font = `${11 * s}px "Noto Sans SC", sans-serif`;
  g.fillStyle = '#33415c';
  g.fillText(low, x * s, (y + 32) * s);
  g.textAlign = 'right';
  g.fillText(high, (x + 260) * s, (y + 32) * s);
  g.textAlign = 'left';
}

/**
 * The PDF: the composed page printed by the browser onto one A4 landscape
 * sheet (styles.css @media print shows only #print-report). No PDF library:
 * jsPDF would need a whole CJK font embedded to write Chinese, and the
 * browser's print already makes a PDF of exactly this page.
 */
export function printReport(page: HTMLCanvasElement): void {
  let holder = document.getElementById('print-report');
  if (!holder) {
    holder = document.createElement('div');
    holder.id = 'print-report';
    document.body.append(holder);
  }
  const img = document.createElement('img');
  img.src = page.toDataURL('image/png');
  img.alt = t('周期研判报告', 'Period review report');
  holder.replaceChildren(img);
  void img.decode().then(() => window.print());
}
