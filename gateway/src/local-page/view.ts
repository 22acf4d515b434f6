import { KIND_ZH, SEVERITY_ZH } from '../flows/status-page.js';
import type { RecentEvent } from './recent-events.js';

/** What the page shows; also the JSON the page polls (`GET /local/state`). */
export interface LocalState {
  gatewayId: string;
  now: number;
  uplink: string;
  flowsVersion: string | null;
  buffer: { depth: number; oldestReceivedAt: number | null };
  devices: LocalDevice[];
  events: (RecentEvent & { label: string; severityLabel: string })[];
}

export interface LocalDevice {
  id: string;
  type: string;
  target: string;
  online: boolean | null;
  values: { name: string; value: number; unit: string }[];
}

/** The verdict of one device test, as the page shows it. */
export interface TestVerdict {
  id: string;
  ok: boolean;
  detail: string;
  fix: string;
  at: number;
}

/** Everyday kinds the status page (alarms only) has no name for. */
const EVERYDAY_ZH: Record<string, string> = {
  'device.online': '设备上线',
  'elevator.status': '电梯状态',
  'gate.pass': '通行',
  'gate.refused': '拒绝通行',
  'gate.tamper': '门禁防拆',
  'meter.reading': '抄表',
  'camera.motion': '移动侦测',
};

export const labelEvent = (e: RecentEvent) => ({
  ...e,
  label: `${KIND_ZH[e.kind] ?? EVERYDAY_ZH[e.kind] ?? ''} ${e.kind}`.trim(),
  severityLabel: SEVERITY_ZH[e.severity] ?? e.severity,
});

export const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** China time (UTC+8), whatever the gateway's timezone; the page's script formats the same way. */
export function clock(t: number): string {
  const d = new Date(t + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

export const uplinkText = (s: string) => (s === 'online' ? '已连接 online' : `未连接 ${s}`);
export const onlineText = (o: boolean | null) => (o === null ? '未知 unknown' : o ? '在线 online' : '离线 offline');
export const onlineClass = (o: boolean | null) => (o === null ? 'unk' : o ? 'on' : 'off');

const head = (title: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="same-origin"><title>${esc(title)}</title>
<link rel="stylesheet" href="/local/fonts.css"><link rel="stylesheet" href="/local/app.css"></head>`;

/** The login form: one password field (the user is always the installer's admin). */
export function renderLogin(gatewayId: string, error?: string): string {
  return `${head(`网关登录 Gateway login · ${gatewayId}`)}
<body class="login"><main>
<h1>邻里网关 <small>Linli gateway</small></h1><p class="t">${esc(gatewayId)}</p>
<form method="post" action="/local/login" id="login">
<label for="password">安装密码 Installer password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required maxlength="200" autofocus>
<input type="text" name="username" value="admin" autocomplete="username" hidden>
${error ? `<p class="err" id="login-error" role="alert">${esc(error)}</p>` : ''}
<button type="submit">登录 Log in</button>
</form>
<p class="t">密码在安装时由 <code>linli-gateway flows set-password</code> 设置 · set at install time</p>
</main></body></html>`;
}

export function renderValues(values: LocalDevice['values']): string {
  if (!values.length) return '<span class="t">暂无数据 no reading yet</span>';
  return values
    .map(
      (v) =>
        `<span class="v"><i>${esc(v.name)}</i> <b>${esc(String(v.value))}</b>${v.unit ? ` ${esc(v.unit)}` : ''}</span>`,
    )
    .join('');
}

export function renderVerdict(t: TestVerdict | undefined): string {
  if (!t) return '';
  return t.ok
    ? `<span class="pass">通过 pass</span> ${esc(t.detail)}`
    : `<span class="fail">失败 fail</span> ${esc(t.detail)}<br><b>处理 fix:</b> ${esc(t.fix)}`;
}

function renderEvent(e: LocalState['events'][number]): string {
  return `<li class="${esc(e.severity)}"><b>${esc(e.label)}</b> <span class="sev">${esc(e.severityLabel)}</span><br><span class="t">${clock(
    e.receivedAt,
  )} · ${esc(e.deviceId)}</span>${e.summary ? `<br><span class="s">${esc(e.summary)}</span>` : ''}</li>`;
}

/**
 * The page after login, complete without its script (first paint, no-JS
 * phones); the script then refreshes the numbers every few seconds and runs
 * device tests without leaving the page.
 */
export function renderApp(v: LocalState, lastTest?: TestVerdict): string {
  const online = v.devices.filter((d) => d.online).length;
  const devices = v.devices
    .map(
      (d) => `<li class="dev" data-id="${esc(d.id)}"><div class="row"><b>${esc(d.id)}</b>
<span class="state ${onlineClass(d.online)}">${onlineText(d.online)}</span></div>
<div class="t">${esc(d.type)} · ${esc(d.target)}</div>
<div class="values">${renderValues(d.values)}</div>
<form method="post" action="/local/test" class="test"><input type="hidden" name="device" value="${esc(d.id)}">
<button type="submit">测试 test</button></form>
<div class="result" aria-live="polite">${lastTest?.id === d.id ? renderVerdict(lastTest) : ''}</div></li>`,
    )
    .join('');
  return `${head(`网关 Gateway · ${v.gatewayId}`)}
<body><main>
<header><h1>邻里网关 <small>Linli gateway</small> · ${esc(v.gatewayId)}</h1>
<form method="post" action="/local/logout"><button type="submit" class="link">退出 Log out</button></form></header>
<div class="kv">
<span>上行链路 Uplink <b id="uplink">${esc(uplinkText(v.uplink))}</b></span>
<span>待上报 Buffered <b id="depth">${v.buffer.depth}</b></span>
<span>设备 Devices <b id="online">${online}/${v.devices.length}</b> 在线</span>
<span>规则版本 Flows <b id="flows-version">${esc(v.flowsVersion ?? '—')}</b></span>
</div>
<p><a class="btn" href="/admin/flows/">规则编辑器 Node-RED editor →</a></p>
<h2>设备 Devices</h2>
<ul id="devices">${devices || '<li>无 none</li>'}</ul>
<h2>最近事件 Recent events <small>(最近 50 条 last 50)</small></h2>
<ul id="events">${v.events.map(renderEvent).join('') || '<li class="none">无 none</li>'}</ul>
<p class="t">更新于 <span id="updated">${clock(v.now)}</span>（北京时间 Beijing time）· 每 3 秒刷新 refreshes every 3 s</p>
</main><script src="/local/app.js"></script></body></html>`;
}
