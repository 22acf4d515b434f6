import type { LocalAlarm } from './alarm-log.js';

export interface StatusView {
  gatewayId: string;
  now: number;
  uplink: string;
  flowsVersion: string | null;
  buffer: { depth: number; oldestReceivedAt: number | null };
  devices: { id: string; online: boolean | null }[];
  alarms: LocalAlarm[];
  /** Events below this sequence have reached the hub. */
  firstUndelivered: number | null;
}

export const KIND_ZH: Record<string, string> = {
  'rule.alert': '规则告警',
  'elevator.entrapment': '电梯困人',
  'elevator.fault': '电梯故障',
  'gate.forced': '门被强行打开',
  'gate.held_open': '门长时间未关',
  'sos.call': '一键呼叫',
  'smoke.alarm': '烟感报警',
  'gas.alarm': '燃气报警',
  'tilt.alarm': '倾斜报警',
  'meter.inactive': '用水异常（无活动）',
  'device.offline': '设备离线',
  'camera.tamper': '摄像机遮挡',
  'camera.thrown_object': '高空抛物',
  'gateway.buffer_full': '网关缓存已满',
  'gateway.disk_full': '网关磁盘已满',
  'gateway.disk_ok': '网关磁盘空间恢复',
};
export const SEVERITY_ZH: Record<string, string> = { warning: '警告', critical: '紧急', notice: '提示', info: '信息' };

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** China time (UTC+8) as HH:MM, whatever the gateway's timezone. */
function hhmm(t: number): string {
  const d = new Date(t + 8 * 3600_000);
  return `${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/**
 * The on-site status page: one small self-contained HTML page (no scripts,
 * nothing from outside) that reads well on a phone. Chinese first.
 */
export function renderStatusPage(v: StatusView): string {
  const online = v.devices.filter((d) => d.online).length;
  const delivered = (seq: number) => v.firstUndelivered === null || seq < v.firstUndelivered;
  const alarmRows = v.alarms
    .map(
      (a) =>
        `<li class="${esc(a.severity)}"><b>${esc(KIND_ZH[a.kind] ?? a.kind)}</b> <span class="sev">${esc(
          SEVERITY_ZH[a.severity] ?? a.severity,
        )}</span><br><span class="t">${hhmm(a.receivedAt)} · ${esc(a.deviceId)} · ${
          delivered(a.seq) ? '已上报 delivered' : '待上报 queued'
        }</span>${a.summary ? `<br>${esc(a.summary)}` : ''}</li>`,
    )
    .join('');
  const deviceRows = v.devices
    .map(
      (d) =>
        `<li>${esc(d.id)} <span class="${d.online ? 'on' : 'off'}">${
          d.online === null ? '未知 unknown' : d.online ? '在线 online' : '离线 offline'
        }</span></li>`,
    )
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="30"><title>网关状态 Gateway status · ${esc(v.gatewayId)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:12px;background:#f6f7f9;color:#222}
h1{font-size:1.2em;margin:0 0 8px}h2{font-size:1.05em;margin:16px 0 6px}ul{list-style:none;padding:0;margin:0}
li{background:#fff;border-radius:8px;padding:8px 10px;margin:6px 0;border-left:4px solid #bbb}
li.critical{border-color:#d32f2f}li.warning{border-color:#f9a825}.t{color:#666;font-size:.85em}
.sev{font-size:.8em;color:#555}.on{color:#2e7d32}.off{color:#c62828}.kv span{display:inline-block;margin-right:14px}</style>
</head><body>
<h1>网关状态 <small>Gateway status</small> · ${esc(v.gatewayId)}</h1>
<div class="kv"><span>上行链路 Uplink: <b>${esc(v.uplink === 'online' ? '已连接 online' : `未连接 ${v.uplink}`)}</b></span>
<span>待上报 Buffered: <b id="depth">${v.buffer.depth}</b></span>
<span>设备 Devices: <b>${online}/${v.devices.length}</b> 在线</span>
<span>规则版本 Flows: <b id="flows-version">${esc(v.flowsVersion ?? '—')}</b></span></div>
<h2>近 24 小时告警 Alarms, last 24 h (${v.alarms.length})</h2>
<ul id="alarms">${alarmRows || '<li>无 none</li>'}</ul>
<h2>设备 Devices</h2><ul>${deviceRows || '<li>无 none</li>'}</ul>
<p class="t">更新于 ${hhmm(v.now)}（北京时间），每 30 秒刷新 · updated, refreshes every 30 s</p>
</body></html>`;
}
