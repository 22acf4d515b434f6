import { LinliError } from '@linli/contract';
import type { OnvifTransport } from '../transport.js';
import { atStep } from './camera-error.js';
import { readPassword } from './onvif-camera.js';
import { type CameraInfo, OnvifClient } from './onvif-client.js';
import { createPullPoint, unsubscribe } from './onvif-events.js';
import { NOT_SUPPORTED } from './pull-point-pump.js';
import { ASK_SUBSCRIPTION_MS } from './pull-schedule.js';
import { type CameraSnapshot, grabFrame, takeSnapshot } from './snapshot.js';

export interface CameraProbe {
  info: CameraInfo;
  snapshot: CameraSnapshot;
  /** 'pullpoint' when the camera gave an event subscription; 'none' when it has no PullPoint (snapshots only). */
  events: 'pullpoint' | 'none' | 'failed';
  /** Why a subscription failed (events 'failed'). */
  eventsReason?: string;
}

/**
 * The installer's check of one camera, step by step as the driver brings it
 * up: ONVIF service, login, media profiles, stream URI, a frame from the
 * stream, a snapshot. Rejects with a CameraStepError naming the first step
 * that failed; an event service that refuses a subscription is reported, not failed.
 */
export async function probeCamera(
  id: string,
  t: OnvifTransport,
  o: { timeoutMs: number; masks?: readonly (readonly [number, number])[][] },
): Promise<CameraProbe> {
  const password = await (t.passwordFile ? readPassword(t.passwordFile) : Promise.resolve(t.password ?? '')).catch(
    (err: unknown) => {
      throw atStep('login', err);
    },
  );
  if (!password)
    throw atStep('login', new LinliError('CONFIG', `camera ${id}: set transport.passwordFile (or password)`));
  const client = new OnvifClient({
    host: t.host,
    port: t.port,
    username: t.username,
    password,
    timeoutMs: o.timeoutMs,
  });
  try {
    const info = await client.connect();
    const src = {
      cameraId: id,
      streamUri: t.rtspUrl ?? info.streamUri,
      snapshotUri: info.snapshotUri,
      username: t.username,
      password,
      masks: o.masks ?? [],
      timeoutMs: o.timeoutMs,
    };
    await grabFrame(src).catch((err: unknown) => {
      throw atStep('stream', err);
    });
    const snapshot = await takeSnapshot(src).catch((err: unknown) => {
      throw atStep('snapshot', err);
    });
    if (!client.hasEventService()) return { info, snapshot, events: 'none' };
    try {
      const pp = await createPullPoint(client, ASK_SUBSCRIPTION_MS, o.timeoutMs);
      // The probe only needed to know a pull point can be made; a camera that forgets it frees it at its TerminationTime.
      await unsubscribe(client, pp, o.timeoutMs).catch(() => {});
      return { info, snapshot, events: 'pullpoint' };
    } catch (err) {
      const reason = (err as Error).message;
      return NOT_SUPPORTED.test(reason)
        ? { info, snapshot, events: 'none' }
        : { info, snapshot, events: 'failed', eventsReason: reason };
    }
  } finally {
    client.close();
  }
}
