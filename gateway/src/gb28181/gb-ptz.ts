import { gb28181 } from '@linli/drivers';
import type { Gb28181Config } from '../config/schema.js';
import type { Logger } from '../log.js';
import type { UpChannel } from './gb-channels.js';

/** An ONVIF camera's PTZ (drivers' OnvifCamera.ptz): velocities in [-1, 1], all zero = Stop. */
export type OnvifPtz = (v: gb28181.PtzMotion) => Promise<void>;

export interface GbPtzDeps {
  gb: Gb28181Config;
  channels: () => UpChannel[];
  /** The PTZ of a configured ONVIF camera, by config id; null when the device is not one. */
  onvifPtz: (deviceId: string) => OnvifPtz | null;
  /** The upper platform as `id@host:port/transport`, for the audit line. */
  platform: () => string;
  log: Logger;
}

/**
 * PTZ control from the upper platform (DeviceControl with PTZCmd, A.3): an
 * ONVIF camera's channel is driven with ContinuousMove (speeds mapped to
 * [-1, 1]) and Stop; a downward GB/T 28181 camera's channel gets the
 * DeviceControl forwarded as it came, under its own channel code. Each
 * command is logged with the platform and answered with a DeviceControl
 * Response (Result OK or ERROR). Repeats from a held joystick are paced per
 * channel (PtzGate).
 */
export class GbPtz {
  private readonly gates = new Map<string, gb28181.PtzGate>();

  constructor(private readonly d: GbPtzDeps) {}

  /** The Response bodies for a Control message; [] for a Control that is not a PTZ DeviceControl (200, no answer). */
  async answer(q: gb28181.Manscdp): Promise<string[]> {
    const read = gb28181.readPtzControl(q);
    if (!read) return [];
    const reply = (ok: boolean) => [gb28181.deviceControlResponseXml(q.deviceId, q.sn, ok, this.d.gb.charset)];
    const audit = { platform: this.d.platform(), channel: q.deviceId, sn: q.sn, ptzCmd: read.hex };
    const channel = this.d.channels().find((c) => c.gbId === q.deviceId);
    if (!channel) {
      this.d.log.warn({ ...audit, result: 'ERROR' }, 'GB/T 28181 云台控制：没有这个通道 — PTZ for an unknown channel');
      return reply(false);
    }
    if (!read.ok) {
      this.d.log.warn({ ...audit, result: 'ERROR', err: read.error }, 'GB/T 28181 云台控制：指令无效 — bad PTZCmd');
      return reply(false);
    }
    const gate = this.gateFor(channel.gbId);
    const failed = (err: unknown) => {
      this.d.log.warn({ ...audit, err: (err as Error).message }, 'GB/T 28181 云台控制失败 — PTZ command failed');
      return false;
    };
    let ok: boolean;
    let action: string;
    const down = channel.down;
    if (down) {
      action = 'forward';
      // As it came, but for the code: a device shown upward under its gbId is addressed by its own channel code.
      const text = (q.text ?? '').replace(
        /(<DeviceID>)\s*[^<]*\s*(<\/DeviceID>)/,
        (_m, open: string, close: string) => `${open}${down.channelId}${close}`,
      );
      ok = await gate.submit(`${down.channelId}:${read.hex}`, () => down.device.control(text).catch(failed));
    } else {
      const ptz = this.d.onvifPtz(channel.entry.id);
      const motion = gb28181.ptzMotion(read.frame);
      if (!ptz || !motion) {
        action = motion ? 'no-ptz' : 'unsupported';
        ok = false;
      } else {
        action = gb28181.isStop(motion) ? 'stop' : 'move';
        ok = await gate.submit(JSON.stringify(motion), () => ptz(motion).then(() => true, failed));
      }
    }
    this.d.log.info(
      { ...audit, device: channel.entry.id, action, result: ok ? 'OK' : 'ERROR' },
      'GB/T 28181 云台控制 PTZ command',
    );
    return reply(ok);
  }

  private gateFor(gbId: string): gb28181.PtzGate {
    let g = this.gates.get(gbId);
    if (!g) this.gates.set(gbId, (g = new gb28181.PtzGate()));
    return g;
  }
}
