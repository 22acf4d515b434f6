import type { GridReview } from '@linli/contract';
import type { Boot } from '../boot.js';
import { toHeat } from '../cockpit/overlays.js';
import { formatCount, formatDate, formatDuration, mountLangToggle, t } from '../i18n.js';
import { heatLayer, weightsTextureSize } from '../layers/cockpit-layers.js';
import { gridTilesLayer } from '../layers/grid-tiles-layer.js';
import { renderLegends } from '../legends/legends.js';
import { startClock, state, markReadyWhenDrawn } from '../shell.js';
import { savedTheme } from '../map/style-toggle.js';
import { Stage } from '../stage.js';
import { cityFooter } from '../city-footer.js';
import { loadReview } from './review-data.js';
import { composeReport, printReport } from './review-export.js';
import { mountFieldFigures } from './field-figures.js';
import { responseChart, withinShare } from './response-chart.js';
import { sparkline } from './sparkline.js';
import { timeChart } from './time-chart.js';

const DAY = 86_400_000;

/** One CSV field, quoted when it must be (RFC 4180). */
const csvField = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

function placeholder(text: string): HTMLElement {
  const el = document.createElement('li');
  el.className = 'placeholder';
  el.textContent = text;
  return el;
}

function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/**
 * The street leader's review: a period against the one before, the period's
 * heatmap, per-grid trends, the top grids by alerts and by response time,
 * and exports (the map as PNG, the table as CSV for Excel).
 */
export async function reviewView(b: Boot): Promise<void> {
  document.body.className = 'view-review';
  const q = new URLSearchParams(location.search);
  const days = [7, 30, 90].includes(Number(q.get('days'))) ? Number(q.get('days')) : 7;
  const to = Number(q.get('to')) > 0 ? Number(q.get('to')) : new Date().setHours(24, 0, 0, 0);
  const from = to - days * DAY;
  document.getElementById('app')!.innerHTML = `
    <header class="topbar">
      <div class="brand"><span class="logo">${t('邻里', 'Linli')}</span><span class="title"></span></div>
      <div class="status">
        <a class="nav" href="/">${t('指挥', 'Cockpit')}</a>
        <label>${t('周期', 'Period')} <select id="period"></select></label>
        <button type="button" id="export-png">${t('导出图片 PNG', 'Export PNG')}</button>
        <button type="button" id="export-pdf">${t('导出报告 PDF', 'Export PDF')}</button>
        <button type="button" id="export-csv">${t('导出表格 CSV', 'Export CSV')}</button>
        <span id="clock" class="clock"></span>
      </div>
    </header>
    <main class="review">
      <section id="map" class="review-map"></section>
      <aside id="legends" class="legends review-legends"></aside>
      <aside class="review-panel">
        <section class="compare" id="compare"></section>
        <section class="chart"><h3>${t('事件与告警：本期与上期', 'Events and alerts: this period and the one before')}</h3><div id="time-chart"></div></section>
        <section class="chart"><h3>${t('响应用时分布', 'Response times')}</h3><p id="sla-share" class="chart-note"></p><div id="response-chart"></div></section>
        <section class="tops"><div><h3>${t('告警最多的网格', 'Most alerts')}</h3><ol id="top-alerts"></ol></div>
          <div><h3>${t('响应最慢的网格', 'Slowest response')}</h3><ol id="top-slow"></ol></div></section>
        <section class="trend"><h3>${t('各网格趋势', 'Per-grid trends')}</h3>
          <table id="grid-table"><thead><tr><th>${t('网格', 'Grid')}</th><th>${t('本期走势', 'This period')}</th><th class="num">${t('告警', 'Alerts')}</th><th class="num">${t('上期', 'Before')}</th><th class="num">${t('变化', 'Change')}</th><th class="num">${t('平均签收', 'Mean ack')}</th><th class="num">${t('平均办结', 'Mean resolve')}</th><th class="num">${t('事件', 'Events')}</th></tr></thead><tbody></tbody></table></section>
        <section class="trend field-figures" id="field-figures"></section>
      </aside>
      ${cityFooter(b.city, ['示意数据：演示城市', 'Demo data'])}
    </main>`;
  startClock();
  document.body.dataset.theme = savedTheme();
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  mountLangToggle(document.querySelector<HTMLElement>('.topbar .status')!);
  const areaName = b.tree.name(b.me.areaCode);
  const periodText = `${formatDate(from)} – ${formatDate(to - 1)}（${t('对比上期', 'against')} ${formatDate(from - (to - from))} – ${formatDate(from - 1)}）`;
  document.querySelector('.title')!.textContent =
    `${areaName} · ${t('周期研判', 'Period review')} ${formatDate(from)} – ${formatDate(to - 1)}`;
  const period = $<HTMLSelectElement>('period');
  for (const d of [7, 30, 90]) period.add(new Option(t(`近${d}天`, `last ${d} days`), String(d), false, d === days));
  period.addEventListener('change', () => {
    q.set('days', period.value);
    location.search = q.toString();
  });

  const { review, heat, series } = await loadReview(b.api, from, to);
  const before = new Map(review.before.map((r) => [r.grid, r]));
  const rows = review.current.map((r) => ({ ...r, prev: before.get(r.grid)?.alerts ?? 0 }));
  const sum = (list: GridReview[], f: (r: GridReview) => number) => list.reduce((s, r) => s + f(r), 0);
  const meanAck = (list: GridReview[]) => {
    const acked = list.filter((r) => r.ackMs !== null);
    return acked.length ? sum(acked, (r) => r.ackMs! * r.alerts) / sum(acked, (r) => r.alerts) : null;
  };
  const cur = sum(review.current, (r) => r.alerts);
  const prev = sum(review.before, (r) => r.alerts);
  const delta = (a: number, p: number) =>
    p ? `${a >= p ? '+' : ''}${Math.round(((a - p) / p) * 100)}%` : a ? t('新增', 'new') : '0%';
  $('compare').innerHTML = `<h2>${t('本期与上期', 'This period vs. the one before')}</h2><dl></dl>`;
  const figs: [string, string, string][] = [
    [
      t('告警', 'Alerts'),
      `${formatCount(cur)}（${t('上期', 'before')} ${formatCount(prev)}，${delta(cur, prev)}）`,
      'alerts',
    ],
    [
      t('紧急告警', 'Critical'),
      `${formatCount(sum(review.current, (r) => r.critical))}（${t('上期', 'before')} ${formatCount(sum(review.before, (r) => r.critical))}）`,
      'critical',
    ],
    [
      t('平均签收用时', 'Mean time to acknowledge'),
      `${formatDuration(meanAck(review.current))}（${t('上期', 'before')} ${formatDuration(meanAck(review.before))}）`,
      'ack',
    ],
    [
      t('事件', 'Events'),
      `${formatCount(sum(review.current, (r) => r.events))}（${t('上期', 'before')} ${formatCount(sum(review.before, (r) => r.events))}）`,
      'events',
    ],
  ];
  $('compare')
    .querySelector('dl')!
    .replaceChildren(
      ...figs.flatMap(([k, v, id]) => {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v;
        dd.dataset.figure = id;
        return [dt, dd];
      }),
    );
  const li = (text: string, grid: string) => {
    const el = document.createElement('li');
    el.textContent = text;
    el.dataset.grid = grid;
    return el;
  };
  $('top-alerts').replaceChildren(
    ...[...rows]
      .filter((r) => r.alerts)
      .sort((a, b2) => b2.alerts - a.alerts)
      .slice(0, 5)
      .map((r) => li(`${b.tree.name(r.grid)} · ${formatCount(r.alerts)}`, r.grid)),
  );
  const slow = [...rows]
    .filter((r) => r.ackMs !== null)
    .sort((a, b2) => b2.ackMs! - a.ackMs!)
    .slice(0, 5)
    .map((r) => li(`${b.tree.name(r.grid)} · ${formatDuration(r.ackMs)}`, r.grid));
  $('top-slow').replaceChildren(
    ...(slow.length ? slow : [placeholder(t('本期没有已签收的告警', 'No alert was acknowledged in this period'))]),
  );
  if (!$('top-alerts').children.length)
    $('top-alerts').append(placeholder(t('本期没有告警', 'No alerts in this period')));
  const table = [...rows].sort((a, b2) => b2.alerts - a.alerts || a.grid.localeCompare(b2.grid));
  const gridSeries = new Map(series.grids.map((g) => [g.grid, g]));
  const empty = new Array<number>(series.current.events.length).fill(0);
  $('grid-table')
    .querySelector('tbody')!
    .replaceChildren(
      ...table.map((r) => {
        const tr = document.createElement('tr');
        tr.dataset.grid = r.grid;
        const name = document.createElement('td');
        name.textContent = b.tree.name(r.grid);
        const spark = document.createElement('td');
        spark.className = 'spark';
        spark.append(sparkline(gridSeries.get(r.grid)?.events ?? empty));
        tr.append(name, spark);
        for (const v of [
          formatCount(r.alerts),
          formatCount(r.prev),
          delta(r.alerts, r.prev),
          formatDuration(r.ackMs),
          formatDuration(r.resolveMs),
          formatCount(r.events),
        ]) {
          const td = document.createElement('td');
          td.className = 'num';
          td.textContent = v;
          tr.append(td);
        }
        return tr;
      }),
    );
  state.review = { rows: table.length, alerts: cur, previousAlerts: prev, heatCells: heat.weights.length };
  state.fieldReview = await mountFieldFigures($('field-figures'), b.api, b.tree, from, to);

  // Charts: the panel's width less its padding; uPlot draws on canvas, its data stays readable on the instance.
  const chartWidth = $('time-chart').clientWidth || 560;
  const charts = {
    time: timeChart($('time-chart'), series, chartWidth),
    response: responseChart($('response-chart'), series, chartWidth),
  };
  window.linli.charts = charts;
  const share = (ms: number[], limit: number) => {
    const v = withinShare(ms, limit);
    return v === null ? '–' : `${Math.round(v * 100)}%`;
  };
  $('sla-share').textContent =
    `${t('时限内签收', 'Acknowledged within SLA')} ${share(series.response.ackMs, series.sla.default.ackMs)} · ${t(
      '时限内办结',
      'resolved within SLA',
    )} ${share(series.response.resolveMs, series.sla.default.resolveMs)}（${t('紧急告警时限更短', 'critical alarms have shorter limits')}：${formatDuration(series.sla.critical.ackMs)} / ${formatDuration(series.sla.critical.resolveMs)}）`;

  const stage = new Stage({
    host: $('map'),
    tree: b.tree,
    tiles: b.tiles,
    basemap: b.basemap,
    theme: savedTheme(),
    bounds: b.tree.bounds(b.me.areaCode)!,
    // The map sits left of the panel; the legends take its bottom-left corner.
    padding: { top: 40, bottom: 130, left: 40, right: 40 },
    // The PNG export reads the canvas back after the frame.
    preserveDrawingBuffer: true,
  });
  window.linli.stage = stage;
  await stage.start();
  window.linli.map = stage.map;
  const maxAlerts = Math.max(1, ...rows.map((r) => r.alerts));
  const byGrid = new Map(rows.map((r) => [r.grid, r.alerts]));
  const c = stage.map.getCanvas();
  // The grids from the hub's vector tiles, coloured by this period's alerts (a street's or a city's alike).
  const alertShare = new Map(b.tree.grids(b.me.areaCode).map((g) => [g, (byGrid.get(g) ?? 0) / maxAlerts]));
  stage.setLayers([
    ...(b.tiles
      ? [gridTilesLayer(b.tiles, { colouring: 'measure', values: alertShare, selected: '', revision: 1 })]
      : []),
    heatLayer('review-heat', toHeat(heat), weightsTextureSize(c.clientWidth, c.clientHeight)),
  ]);
  state.legends = renderLegends($('legends'), {
    layers: ['grids', 'heat'],
    measure: 'alerts',
    gridMax: maxAlerts,
    heatTotal: heat.total,
    heatWindow: `${formatDate(from)} – ${formatDate(to - 1)}`,
    facilityTypes: [],
    coverageMinutes: 15,
  });

  $('export-csv').addEventListener('click', () => {
    const head = [
      '网格编码 grid code',
      '网格 grid',
      '告警 alerts',
      '上期告警 previous',
      '紧急 critical',
      '平均签收毫秒 mean ack ms',
      '平均办结毫秒 mean resolve ms',
      '事件 events',
    ];
    const lines = [
      head,
      ...table.map((r) => [r.grid, b.tree.name(r.grid), r.alerts, r.prev, r.critical, r.ackMs, r.resolveMs, r.events]),
    ];
    // A byte-order mark so Excel opens the Chinese as UTF-8.
    const text = '\ufeff' + lines.map((l) => l.map(csvField).join(',')).join('\r\n') + '\r\n';
    download(
      new Blob([text], { type: 'text/csv;charset=utf-8' }),
      `linli-review-${b.me.areaCode}-${formatDate(from).replace(/\//g, '')}.csv`,
    );
  });
  /** The map as drawn now (the canvas keeps its buffer for this), then the A4 page around it. */
  const report = async () => {
    await new Promise<void>((resolve) => {
      stage.map.once('render', () => resolve());
      stage.map.triggerRepaint();
    });
    const tops = [
      { title: t('告警最多的网格', 'Most alerts'), host: $('top-alerts') },
      { title: t('响应最慢的网格', 'Slowest response'), host: $('top-slow') },
    ];
    return composeReport(stage.map.getCanvas(), series, {
      title: `${areaName} · ${t('周期研判报告', 'Period review')}`,
      area: b.tree
        .chain(b.me.areaCode)
        .map((code) => b.tree.name(code))
        .join(' › '),
      period: periodText,
      figures: figs.map(([k, v]) => [k, v]),
      tops: tops.map((x) => ({ title: x.title, lines: [...x.host.children].map((el) => el.textContent ?? '') })),
      gridMax: maxAlerts,
      heatTotal: heat.total,
      source: t(
        `邻里指挥中心汇总的网关告警与事件记录（${location.host}）· 示意数据`,
        `alerts and events recorded by the Linli hub (${location.host}) · demo data`,
      ),
    });
  };
  const fileBase = `linli-review-${b.me.areaCode}-${formatDate(from).replace(/\//g, '')}`;
  $('export-png').addEventListener('click', () => {
    void report().then((page) =>
      page.toBlob((blob) => {
        if (blob) download(blob, `${fileBase}.png`);
      }, 'image/png'),
    );
  });
  $('export-pdf').addEventListener('click', () => {
    void report().then((page) => {
      state.reportReady = true;
      printReport(page);
    });
  });
  void markReadyWhenDrawn(stage);
}
