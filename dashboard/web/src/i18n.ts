import type { EventKind, Severity } from '@linli/contract';

/** Chinese-first labels for the wire taxonomy. */
export const KIND_LABEL: Record<EventKind, string> = {
  'gate.pass': '门禁通行',
  'gate.refused': '门禁拒绝',
  'gate.forced': '门被强行打开',
  'gate.held_open': '门长时间未关',
  'gate.tamper': '门禁设备被拆',
  'elevator.status': '电梯状态',
  'elevator.entrapment': '电梯困人',
  'elevator.fault': '电梯故障',
  'meter.reading': '表计读数',
  'meter.inactive': '用水长时间无变化',
  'camera.motion': '视频移动侦测',
  'camera.tamper': '摄像机遮挡',
  'camera.thrown_object': '高空抛物',
  'sos.call': '一键呼叫',
  'smoke.alarm': '烟雾报警',
  'gas.alarm': '燃气泄漏',
  'tilt.alarm': '房屋倾斜报警',
  'device.online': '设备上线',
  'device.offline': '设备离线',
  'gateway.buffer_full': '网关缓存已满',
  'gateway.disk_full': '网关磁盘已满',
  'gateway.disk_ok': '网关磁盘空间恢复',
  'rule.alert': '本地规则告警',
  'field.matter': '网格事项',
};

export const SEVERITY_LABEL: Record<Severity, string> = {
  info: '信息',
  notice: '提示',
  warning: '警告',
  critical: '紧急',
};

const timeFmt = new Intl.DateTimeFormat('zh-CN', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
export const formatTime = (ms: number) => timeFmt.format(ms);
export const formatCount = (n: number) => n.toLocaleString('zh-CN');

/** UI language: Simplified Chinese by default; `?lang=en` or the 中/EN switch (remembered) for English. */
export type Lang = 'zh' | 'en';
export function currentLang(): Lang {
  const q = new URLSearchParams(location.search).get('lang');
  if (q === 'en' || q === 'zh') return q;
  return localStorage.getItem('linli.lang') === 'en' ? 'en' : 'zh';
}
export const lang = currentLang();
/** The text in the chosen language; Chinese is always written first at the call site. */
export const t = (zh: string, en: string) => (lang === 'en' ? en : zh);

export function mountLangToggle(host: HTMLElement): void {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'lang-toggle';
  b.textContent = lang === 'en' ? '中文' : 'EN';
  b.title = t('切换为英文', 'Switch to Chinese');
  b.addEventListener('click', () => {
    localStorage.setItem('linli.lang', lang === 'en' ? 'zh' : 'en');
    const q = new URLSearchParams(location.search);
    q.delete('lang');
    location.search = q.toString();
  });
  host.append(b);
}

const durationUnits: [number, string, string][] = [
  [86_400_000, '天', 'd'],
  [3_600_000, '小时', 'h'],
  [60_000, '分钟', 'min'],
  [1000, '秒', 's'],
];
/** "1小时12分钟" / "1h 12min": two units at most. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '–';
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(ms));
  for (const [size, zh, en] of durationUnits) {
    const n = Math.floor(rest / size);
    if (n > 0 || (size === 1000 && parts.length === 0)) parts.push(lang === 'en' ? `${n}${en}` : `${n}${zh}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(lang === 'en' ? ' ' : '');
}

const dateFmt = new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat('zh-CN', { dateStyle: 'short', timeStyle: 'short', hour12: false });
export const formatDate = (ms: number) => dateFmt.format(ms);
export const formatDateTime = (ms: number) => dateTimeFmt.format(ms);

export const STATE_LABEL: Record<string, string> = {
  raised: t('待派发', 'raised'),
  dispatched: t('已派发', 'dispatched'),
  acknowledged: t('处置中', 'acknowledged'),
  resolved: t('已办结', 'resolved'),
  suppressed: t('已屏蔽', 'suppressed'),
};
export const LEVEL_LABEL: Record<string, string> = {
  city: t('市', 'city'),
  district: t('区', 'district'),
  street: t('街道', 'street'),
  community: t('社区', 'community'),
  grid: t('网格', 'grid'),
};
