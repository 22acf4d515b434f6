import type { EventDraft } from '@linli/contract';
import type { AlarmNotify } from '../manscdp-messages.js';

/**
 * A camera's or NVR's Alarm notification as a Linli event: the reverse of
 * gateway/src/gb28181/gb-alarms.ts. AlarmMethod and AlarmType are those of
 * GB/T 28181-2016 A.2.5: method 5 (视频报警) types 2 运动目标, 5 绊线, 6 入侵,
 * 8 徘徊, 12 快速移动 are motion in a region; 11 视频异常 and method 2
 * (设备报警) types 1 视频丢失, 2 防拆 are tampering; 3 遗留物 is an object
 * left (thrown) in view. Anything else the camera raises is still shown to
 * staff, as a `rule.alert` naming the method, so no alarm is dropped silently.
 */

const MOTION = new Set([2, 5, 6, 8, 12]);
const METHOD_NAMES: Record<number, string> = {
  1: '电话报警',
  2: '设备报警',
  3: '短信报警',
  4: 'GPS报警',
  5: '视频报警',
  6: '设备故障报警',
  7: '其他报警',
};

/** `channel` names the camera channel that raised it (an NVR's channel name, or its id). */
export function eventForAlarm(a: AlarmNotify, deviceId: string, channel: string): EventDraft {
  const base = { deviceId, deviceTime: a.time.getTime() > 0 ? a.time.getTime() : Date.now() };
  const t = a.alarmType;
  if (a.method === 5 && t !== undefined && MOTION.has(t))
    return { ...base, kind: 'camera.motion', payload: { region: channel.slice(0, 64) } };
  if ((a.method === 5 && t === 11) || (a.method === 2 && (t === 1 || t === 2)))
    return { ...base, kind: 'camera.tamper', payload: {} };
  if (a.method === 5 && t === 3) return { ...base, kind: 'camera.thrown_object', payload: {} };
  const what = `${METHOD_NAMES[a.method] ?? '报警'}${t !== undefined ? `（类型 ${t}）` : ''}`;
  const text = `国标${what}：${channel}${a.description ? `，${a.description}` : ''}`;
  return { ...base, kind: 'rule.alert', payload: { rule: 'gb28181-alarm', text: text.slice(0, 500) } };
}
