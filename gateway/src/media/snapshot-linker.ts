import { type LinliEvent, priorityOf } from '@linli/contract';
import type { CameraSnapshot } from '@linli/drivers';
import type { Logger } from '../log.js';

/** A camera that can take a picture now (the OnvifCamera device). */
export interface Snapshotter {
  snapshot(): Promise<CameraSnapshot>;
}

export interface LinkerDeps {
  /** Camera ids covering each device id (a camera always covers itself). */
  covers: ReadonlyMap<string, readonly string[]>;
  camera: (id: string) => Snapshotter | undefined;
  /** Keeps the picture of an event (JPEG on disk, WebP in the media outbox). */
  keep: (event: LinliEvent, snap: CameraSnapshot) => Promise<void>;
  log: Logger;
}

const CAMERA_KINDS = new Set(['camera.motion', 'camera.tamper', 'camera.thrown_object']);

/** Which events get a picture: the camera's own analytics, and alarms from devices it covers. */
export function wantsPicture(e: LinliEvent): boolean {
  if (CAMERA_KINDS.has(e.kind)) return true;
  if (e.kind.startsWith('device.') || e.kind.startsWith('gateway.')) return false;
  return priorityOf(e.severity) === 'alarm';
}

/**
 * Attaches pictures to events. It runs on events the outbox has already
 * committed, so an event is never delayed by its picture; a snapshot that
 * fails is logged and the event stands alone. Events arriving while a camera
 * is already taking a picture share that picture (it is the same moment).
 */
export class SnapshotLinker {
  private readonly inflight = new Map<string, Promise<CameraSnapshot>>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: LinkerDeps) {}

  onEvents(events: LinliEvent[]): void {
    for (const e of events) {
      if (!wantsPicture(e)) continue;
      for (const cameraId of this.deps.covers.get(e.deviceId) ?? []) {
        const p = this.attach(e, cameraId).finally(() => this.running.delete(p));
        this.running.add(p);
      }
    }
  }

  /** Waits for pictures being taken (at shutdown, so none is cut half-written). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async attach(e: LinliEvent, cameraId: string): Promise<void> {
    const cam = this.deps.camera(cameraId);
    if (!cam) return;
    try {
      let shot = this.inflight.get(cameraId);
      if (!shot) {
        shot = cam.snapshot().finally(() => this.inflight.delete(cameraId));
        this.inflight.set(cameraId, shot);
      }
      await this.deps.keep(e, await shot);
    } catch (err) {
      this.deps.log.warn({ camera: cameraId, event: e.id, kind: e.kind, err: String(err) }, 'no picture for event');
    }
  }
}
