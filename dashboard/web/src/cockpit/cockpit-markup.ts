import type { Boot } from '../boot.js';
import { cityFooter } from '../city-footer.js';
import { t } from '../i18n.js';

/** The cockpit's page: top bar with KPIs, the map, layers and area on the left, alerts and the feed on the right. */
export function cockpitMarkup(b: Boot): string {
  return `
    <header class="topbar">
      <div class="brand"><span class="logo">${t('邻里', 'Linli')}</span><nav id="breadcrumb" class="breadcrumb" aria-label="${t('区域导航', 'Area')}"></nav></div>
      <div class="kpis">
        <div class="kpi"><span class="kpi-label">${t('今日事件', 'Events today')}</span><span id="kpi-events" class="kpi-value">0</span></div>
        <div class="kpi"><span class="kpi-label">${t('未办结告警', 'Open alerts')}</span><span id="kpi-alarms" class="kpi-value alarm">0</span></div>
        <div class="kpi"><span class="kpi-label">${t('在线网关', 'Gateways online')}</span><span id="kpi-gateways" class="kpi-value">0</span></div>
      </div>
      <div class="status">
        <a class="nav" href="/wall">${t('大屏', 'Wall')}</a><a class="nav" href="/review">${t('研判', 'Review')}</a>${b.me.role === 'admin' ? `<a class="nav" href="/city">${t('城市数据', 'City data')}</a>` : ''}
        <span id="link-dot" class="dot"></span><span id="link-text">${t('连接中…', 'connecting…')}</span><span id="clock" class="clock"></span>
      </div>
    </header>
    <main>
      <section id="map" aria-label="${t('社区地图', 'Map')}"></section>
      <aside class="side left">
        <section class="layers"><h2>${t('图层', 'Layers')}</h2><div id="layers"></div>
          <label>${t('网格着色', 'Colour grids')} <select id="measure"></select></label>
          <label>${t('热力时段', 'Heatmap window')} <select id="win"></select></label>
          <label id="patrol-row" hidden>${t('巡查时刻', 'Patrol time')} <input id="patrol-time" type="range" min="28800" max="61200" step="300" /> <output id="patrol-out"></output></label>
        </section>
        <section id="area-panel" class="area-panel"></section>
        <section id="field-panel" class="field-panel" hidden></section>
        <section class="gateways">
          <h2>${t('网关状态', 'Gateways')} <span id="gateways-scope" class="scope"></span></h2>
          <table><colgroup><col class="name" /><col class="link" /><col span="3" class="num" /><col class="gb" /></colgroup>
            <thead><tr><th>${t('社区网关', 'Gateway')}</th><th>${t('链路', 'Link')}</th><th class="num">${t('积压', 'Backlog')}</th><th class="num" title="${t('回传速率（条/秒）', 'Replay rate (events/s)')}">${t('回传', 'Replay')}</th><th class="num">${t('设备', 'Devices')}</th><th class="gb" title="GB/T 28181">${t('国标', 'GB28181')}</th></tr></thead><tbody id="gateways"></tbody></table>
        </section>
      </aside>
      <aside class="side right">
        <section id="maintenance" class="maintenance" hidden><h2>${t('维护窗口', 'Maintenance')}</h2><ol></ol></section>
        <section class="alerts"><h2>${t('告警', 'Alerts')}</h2><ol id="alerts"></ol></section>
        <section id="alert-detail" class="alert-detail" hidden></section>
        <section class="feed"><h2>${t('实时事件', 'Live events')}</h2><ol id="feed"></ol></section>
      </aside>
      <aside id="legends" class="legends" aria-label="${t('图例', 'Legend')}"></aside>
      <div id="notice" class="notice" hidden></div>
      ${cityFooter(b.city, ['示意数据：社区位置、边界与巡查轨迹为演示虚构', 'Demo data: places, boundaries and patrol tracks are made up'])}
    </main>`;
}
