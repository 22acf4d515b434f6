import type { EventKind, Severity } from '@linli/contract';

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

/** Chinese-first labels for the wire taxonomy, in the page's language. */
export const KIND_LABEL: Record<EventKind, string> = {
  'gate.pass': t('门禁通行', 'Gate pass'),
  'gate.refused': t('门禁拒绝', 'Gate refused'),
  'gate.forced': t('门被强行打开', 'Door forced open'),
  'gate.held_open': t('门长时间未关', 'Door held open'),
  'gate.tamper': t('门禁设备被拆', 'Gate tamper'),
  'elevator.status': t('电梯状态', 'Lift status'),
  'elevator.entrapment': t('电梯困人', 'Lift entrapment'),
  'elevator.fault': t('电梯故障', 'Lift fault'),
  'meter.reading': t('表计读数', 'Meter reading'),
  'meter.inactive': t('用水长时间无变化', 'No water use'),
  'camera.motion': t('视频移动侦测', 'Camera motion'),
  'camera.tamper': t('摄像机遮挡', 'Camera blocked'),
  'camera.thrown_object': t('高空抛物', 'Object thrown from height'),
  'sos.call': t('一键呼叫', 'SOS call'),
  'smoke.alarm': t('烟雾报警', 'Smoke alarm'),
  'gas.alarm': t('燃气泄漏', 'Gas leak'),
  'tilt.alarm': t('房屋倾斜报警', 'Building tilt'),
  'device.online': t('设备上线', 'Device online'),
  'device.offline': t('设备离线', 'Device offline'),
  'gateway.buffer_full': t('网关缓存已满', 'Gateway buffer full'),
  'gateway.disk_full': t('网关磁盘已满', 'Gateway disk full'),
  'gateway.disk_ok': t('网关磁盘空间恢复', 'Gateway disk recovered'),
  'rule.alert': t('本地规则告警', 'Local rule alert'),
  'field.matter': t('网格事项', 'Field matter'),
};

export const SEVERITY_LABEL: Record<Severity, string> = {
  info: t('信息', 'info'),
  notice: t('提示', 'notice'),
  warning: t('警告', 'warning'),
  critical: t('紧急', 'critical'),
};

/** Dates and numbers in the page's language (Chinese forms by default). */
const locale = () => (lang === 'en' ? 'en-GB' : 'zh-CN');
const timeFmt = new Intl.DateTimeFormat(locale(), {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
export const formatTime = (ms: number) => timeFmt.format(ms);
export const formatCount = (n: number) => n.toLocaleString(locale());

export function mountLangToggle(host: HTMLElement): void {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = 'lang-toggle';
  b.textContent = lang === 'en' ? '中文' : 'EN';
  b.lang = lang === 'en' ? 'zh' : 'en';
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

const dateFmt = new Intl.DateTimeFormat(locale(), { year: 'numeric', month: '2-digit', day: '2-digit' });
const dateTimeFmt = new Intl.DateTimeFormat(locale(), { dateStyle: 'short', timeStyle: 'short', hour12: false });
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

/** The hub names a person it no longer knows (a deleted account) with this word; shown in the page's language. */
const UNKNOWN_PERSON = '未知用户';
export function personName(name: string): string {
  return name === UNKNOWN_PERSON ? t('未知用户', 'unknown user') : name;
}
