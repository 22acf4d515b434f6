import type { LinliEvent } from '@linli/contract';
import { gb28181 } from '@linli/drivers';
import type { DeviceEntry } from '../config/schema.js';

/** The compound alarms a public-security platform wants, with the words its operators read. */
const FORWARDED: Partial<Record<LinliEvent['kind'], string>> = {
  'gate.forced': '门禁被强行打开',
  'elevator.entrapment': '电梯困人',
  'smoke.alarm': '烟雾报警',
  'sos.call': '一键求助',
};

/**
 * The Alarm notification for one committed event, or null when the event is
 * not one the platform is told about. DeviceID names the camera that covers
 * the alarm's device (so the platform can open its video at once), or the
 * gateway itself when no camera covers it. AlarmMethod 7 (其他报警): these
 * are not the camera's own video or device-fault alarms (methods 5 and 2).
 */
export function alarmFor(
  e: LinliEvent,
  gatewayGbId: string,
  cameras: readonly DeviceEntry[],
): gb28181.AlarmNotify | null {
  const label = FORWARDED[e.kind];
  if (!label) return null;
  if (e.kind === 'smoke.alarm' && !e.payload.active) return null;
  const camera = cameras.find((c) => c.gbId && (c.covers ?? []).includes(e.deviceId));
  const detail =
    e.kind === 'gate.forced'
      ? `（${e.payload.door}）`
      : e.kind === 'elevator.entrapment'
        ? `（${e.payload.floor} 层，已困 ${e.payload.trappedSeconds} 秒）`
        : '';
  return {
    deviceId: camera?.gbId ?? gatewayGbId,
    priority: e.severity === 'critical' ? 1 : e.severity === 'warning' ? 2 : 3,
    method: 7,
    time: new Date(e.receivedAt),
    description: `${label}：${e.deviceId}${detail}${camera ? `，画面：${camera.gbName ?? camera.id}` : ''}`,
    longitude: e.location.lng,
    latitude: e.location.lat,
  };
}
