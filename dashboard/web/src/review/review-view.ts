import type { GridReview } from '@linli/contract';
import type { Boot } from '../boot.js';
import { toHeat } from '../cockpit/overlays.js';
import { formatCount, formatDate, formatDuration, mountLangToggle, t } from '../i18n.js';
import { gridChoroplethLayer, heatLayer, weightsTextureSize } from '../layers/cockpit-layers.js';
import { startClock, state, markReadyWhenDrawn } from '../shell.js';
import { Stage } from '../stage.js';

type Row = GridReview;

const DAY = 86_400_000;

/** One CSV field, quoted when it must be (RFC 4180). */
const csvField = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

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
      <div class="brand"><span class="logo">邻里</span><span class="title"></span></div>
      <div class="status">
        <a class="nav" href="/">${t('指挥', 'Cockpit')}</a>
        <label>${t('周期', 'Period')} <select id="period"></select></label>
        <button type="button" id="export-png">${t('导出图片 PNG', 'Export PNG')}</button>
        <button type="button" id="export-csv">${t('导出表格 CSV', 'Export CSV')}</button>
        <span id="clock" class="clock"></span>
      </div>
    </header>
    <main class="review">
      <section id="map" class="review-map"></section>
      <aside class="review-panel">
        <section class="compare" id="compare"></section>
        <section class="tops"><div><h3>${t('告警最多的网格', 'Most alerts')}</h3><ol id="top-alerts"></ol></div>
          <div><h3>${t('响应最慢的网格', 'Slowest response')}</h3><ol id="top-slow"></ol></div></section>
        <section class="trend"><h3>${t('各网格趋势', 'Per-grid trends')}</h3>
          <table id="grid-table"><thead><tr><th>${t('网格', 'Grid')}</th><th>${t('告警', 'Alerts')}</th><th>${t('上期', 'Before')}</th><th>${t('变化', 'Change')}</th><th>${t('平均签收', 'Mean ack')}</th><th>${t('平均办结', 'Mean resolve')}</th><th>${t('事件', 'Events')}</th></tr></thead><tbody></tbody></table></section>
      </aside>
      <footer class="disclaimer">${t('示意数据：演示城市', 'Demo data')}</footer>
    </main>`;
  startClock();
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  mountLangToggle(document.querySelector<HTMLElement>('.topbar .status')!);
  document.querySelector('.title')!.textContent =
    `${b.tree.name(b.me.areaCode)} · ${t('周期研判', 'Period review')} ${formatDate(from)} – ${formatDate(to - 1)}`;
  const period = $<HTMLSelectElement>('period');
  for (const d of [7, 30, 90]) period.add(new Option(t(`近${d}天`, `last ${d} days`), String(d), false, d === days));
  period.addEventListener('change', () => {
    q.set('days', period.value);
    location.search = q.toString();
  });

  const [review, heat] = await Promise.all([
    b.api.get('/api/review', { from, to }),
    b.api.get('/api/heatmap', { from, to }),
  ]);
  const before = new Map(review.before.map((r) => [r.grid, r]));
  const rows = review.current.map((r) => ({ ...r, prev: before.get(r.grid)?.alerts ?? 0 }));
  const sum = (list: Row[], f: (r: Row) => number) => list.reduce((s, r) => s + f(r), 0);
  const meanAck = (list: Row[]) => {
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
  $('top-slow').replaceChildren(
    ...[...rows]
      .filter((r) => r.ackMs !== null)
      .sort((a, b2) => b2.ackMs! - a.ackMs!)
      .slice(0, 5)
      .map((r) => li(`${b.tree.name(r.grid)} · ${formatDuration(r.ackMs)}`, r.grid)),
  );
  const table = [...rows].sort((a, b2) => b2.alerts - a.alerts || a.grid.localeCompare(b2.grid));
  $('grid-table')
    .querySelector('tbody')!
    .replaceChildren(
      ...table.map((r) => {
        const tr = document.createElement('tr');
        tr.dataset.grid = r.grid;
        for (const v of [
          b.tree.name(r.grid),
          formatCount(r.alerts),
          formatCount(r.prev),
          delta(r.alerts, r.prev),
          formatDuration(r.ackMs),
          formatDuration(r.resolveMs),
          formatCount(r.events),
        ]) {
          const td = document.createElement('td');
          td.textContent = v;
          tr.append(td);
        }
        return tr;
      }),
    );
  state.review = { rows: table.length, alerts: cur, previousAlerts: prev, heatCells: heat.weights.length };

  const stage = new Stage({
    host: $('map'),
    areas: b.areas,
    basemap: b.basemap,
    theme: 'dark',
    bounds: b.tree.bounds(b.me.areaCode)!,
    padding: { top: 90, bottom: 40, left: 40, right: 40 },
    // The PNG export reads the canvas back after the frame.
    preserveDrawingBuffer: true,
  });
  window.linli.stage = stage;
  await stage.start();
  window.linli.map = stage.map;
  const maxAlerts = Math.max(1, ...rows.map((r) => r.alerts));
  const byGrid = new Map(rows.map((r) => [r.grid, r.alerts]));
  const c = stage.map.getCanvas();
  stage.setLayers([
    gridChoroplethLayer(
      b.tree
        .grids(b.me.areaCode)
        .map((code) => ({
          code,
          ring: b.tree.ring(code) ?? [],
          value: (byGrid.get(code) ?? 0) / maxAlerts,
          selected: false,
        }))
        .filter((x) => x.ring.length),
    ),
    heatLayer('review-heat', toHeat(heat), weightsTextureSize(c.clientWidth, c.clientHeight)),
  ]);

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
  $('export-png').addEventListener('click', () => {
    stage.map.once('render', () => {
      stage.map.getCanvas().toBlob((blob) => {
        if (blob) download(blob, `linli-review-${b.me.areaCode}-${formatDate(from).replace(/\//g, '')}.png`);
      }, 'image/png');
    });
    stage.map.triggerRepaint();
  });
  markReadyWhenDrawn(stage.map);
}
