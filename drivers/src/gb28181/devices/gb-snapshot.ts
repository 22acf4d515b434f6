import { LinliError } from '@linli/contract';
import { grabPsFrame } from '../../camera/ffmpeg-grab.js';
import { type MaskPolygon, renderSnapshot } from '../../camera/images.js';
import { ffmpegSlots, type CameraSnapshot } from '../../camera/snapshot.js';
import { inviteLive } from '../live/invite-live.js';
import type { GbDeviceServer } from './device-server.js';

/**
 * A snapshot from a GB/T 28181 camera (or an NVR's channel): INVITE for live
 * video over UDP, the PS payloads fed to ffmpeg as they arrive until it has
 * one frame, then BYE. The same JPEG/WebP rendering and ffmpeg bound as an
 * ONVIF snapshot, so the gateway's media path keeps and sends it alike.
 */
export async function gbSnapshot(
  server: GbDeviceServer,
  o: { cameraId: string; deviceId: string; channelId: string; timeoutMs: number; masks: readonly MaskPolygon[] },
): Promise<CameraSnapshot> {
  const takenAt = Date.now();
  const { status, receiver } = await inviteLive(server, o.deviceId, o.channelId, 'UDP');
  if (!receiver) throw new LinliError('STREAM', `摄像机拒绝点播 — ${o.channelId} refused the INVITE (${status})`);
  try {
    const jpeg = await grabPsFrame(
      `gb28181:${o.channelId}`,
      (write) => {
        // What arrived while ffmpeg started first (the first packets carry the pack headers), then the rest.
        write(receiver.ps());
        receiver.onPayload = write;
      },
      {
        timeoutMs: o.timeoutMs,
        slots: ffmpegSlots(),
      },
    );
    const images = await renderSnapshot(jpeg, o.masks);
    return { ...images, cameraId: o.cameraId, takenAt, source: 'gb28181' };
  } finally {
    receiver.onPayload = null;
    await receiver.bye().catch(() => receiver.stop());
  }
}
