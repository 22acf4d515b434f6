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
  'rule.alert': '本地规则告警',
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
