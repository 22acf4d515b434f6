import { type CameraStep, CameraStepError, NO_EVENTS_NOTE, probeCamera, STEP_LABEL } from '@linli/drivers';
import type { DeviceEntry } from '../config/schema.js';

/** A camera's verdict; a failure names the step, so the fix is about that step and nothing else. */
export interface CameraVerdict {
  ok: boolean;
  detail: string;
  fix: string;
  step?: CameraStep;
}

type Onvif = Extract<DeviceEntry['transport'], { kind: 'onvif' }>;

/** What the installer does about each step; each names the setting or the place on the camera to look at. */
const FIX: Record<CameraStep, (t: Onvif) => string> = {
  onvif: (t) =>
    `no ONVIF answer at ${t.host}:${t.port}: check the address and port, the camera's power and network, and that ONVIF is enabled on the camera`,
  login: (t) =>
    `the camera refused the ONVIF login: check the ONVIF user "${t.username}" and its password${t.passwordFile ? ` in ${t.passwordFile}` : ''} (an ONVIF user is often separate from the web user), and the camera's clock`,
  profiles: () =>
    'logged in, but the camera offers no usable media profile: create or enable a media profile (video encoder) for ONVIF in the camera',
  'stream-uri': () =>
    'logged in, but the camera gave no RTSP address: set transport.rtspUrl to the stream address from the camera manual',
  stream: () =>
    'logged in and found the stream, but no frame came from it: check the RTSP port and path (transport.rtspUrl), that this user may view video, and that ffmpeg is installed',
  snapshot: () =>
    "the stream works but no snapshot could be taken: check the camera's snapshot settings (HTTP snapshot) and that ffmpeg is installed",
};

const why = (err: unknown) => {
  const e = err as Error;
  return e.cause instanceof Error && e.cause.message !== e.message ? `${e.message} (${e.cause.message})` : e.message;
};

/** Brings the camera up step by step (as the driver does) and takes one snapshot, kept nowhere. */
export async function checkCamera(d: DeviceEntry): Promise<CameraVerdict> {
  const t = d.transport;
  if (t.kind !== 'onvif') throw new Error('not a camera');
  try {
    const p = await probeCamera(d.id, t, { timeoutMs: d.timeoutMs, ...(d.masks ? { masks: d.masks } : {}) });
    const events =
      p.events === 'pullpoint'
        ? '事件订阅正常 events subscribed'
        : p.events === 'none'
          ? NO_EVENTS_NOTE
          : `事件订阅失败 events refused: ${p.eventsReason ?? ''}`;
    return {
      ok: true,
      detail: `logged in; snapshot ${p.snapshot.width}×${p.snapshot.height} via ${p.snapshot.source}; ${events}`,
      fix: '',
    };
  } catch (err) {
    const step: CameraStep = err instanceof CameraStepError ? err.step : 'onvif';
    return { ok: false, step, detail: `${STEP_LABEL[step]}: ${why(err)}`, fix: FIX[step](t) };
  }
}
