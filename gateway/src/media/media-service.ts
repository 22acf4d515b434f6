import { join } from 'node:path';
import type { LinliEvent } from '@linli/contract';
import { type CameraSnapshot, setFfmpegConcurrency } from '@linli/drivers';
import type { Outbox } from '../buffer/outbox.js';
import type { DeviceEntry } from '../config/schema.js';
import type { Logger } from '../log.js';
import { JpegStore } from './jpeg-store.js';
import { MediaOutbox } from './media-outbox.js';
import { type MediaLink, MediaSender } from './media-sender.js';
import { SnapshotLinker, type Snapshotter } from './snapshot-linker.js';

export interface MediaOptions {
  dataDir: string;
  keepHours: number;
  maxFfmpeg: number;
  maxQueued: number;
}

const PRUNE_MS = 10 * 60_000;

/** Which cameras cover which devices, from the device list (a camera covers itself). */
export function coverMap(entries: readonly DeviceEntry[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const add = (device: string, camera: string) => {
    const list = map.get(device) ?? [];
    if (!list.includes(camera)) list.push(camera);
    map.set(device, list);
  };
  for (const e of entries) {
    // GB/T 28181 cameras take their snapshot through live video (INVITE, one frame, BYE).
    if (e.type !== 'onvif-camera' && e.type !== 'gb28181-camera') continue;
    add(e.id, e.id);
    for (const d of e.covers ?? []) add(d, e.id);
  }
  return map;
}

/**
 * The gateway's pictures: snapshots linked to events, full JPEGs kept on disk
 * for `keepHours`, WebP thumbnails queued for the hub and sent after their events.
 */
export class MediaService {
  readonly jpegs: JpegStore;
  private readonly queue: MediaOutbox;
  private readonly linker: SnapshotLinker;
  private sender: MediaSender | null = null;
  private unsubscribe: (() => void) | null = null;
  private pruneTimer: NodeJS.Timeout | null = null;

  constructor(
    opts: MediaOptions,
    entries: readonly DeviceEntry[],
    camera: (id: string) => Snapshotter | undefined,
    private readonly log: Logger,
  ) {
    setFfmpegConcurrency(opts.maxFfmpeg);
    this.jpegs = new JpegStore(join(opts.dataDir, 'media'), opts.keepHours * 3600_000);
    this.queue = new MediaOutbox(join(opts.dataDir, 'media.sqlite'), opts.maxQueued);
    this.linker = new SnapshotLinker({
      covers: coverMap(entries),
      camera,
      keep: (e, snap) => this.keep(e, snap),
      log,
    });
  }

  /** Where camera devices save pictures taken on command. */
  readonly sink = {
    save: (snap: CameraSnapshot): Promise<string> => this.jpegs.save(snap.cameraId, snap.takenAt, snap.jpeg),
  };

  start(outbox: Outbox, link: MediaLink): void {
    const unsubscribe = outbox.onAppend((events) => this.linker.onEvents(events), 'media');
    const unreclaim = outbox.addReclaimer({ name: 'media', reclaim: () => this.reclaim() });
    this.unsubscribe = () => {
      unsubscribe();
      unreclaim();
    };
    this.sender = new MediaSender(this.queue, link, this.log);
    this.sender.start();
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_MS);
    this.pruneTimer.unref();
    this.prune();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    await this.linker.drain();
    await this.sender?.stop();
    this.queue.close();
  }

  queued(): number {
    return this.queue.depth();
  }

  private async keep(e: LinliEvent, snap: CameraSnapshot): Promise<void> {
    await this.jpegs.save(snap.cameraId, snap.takenAt, snap.jpeg, e.id);
    const dropped = this.queue.add({
      eventId: e.id,
      eventSeq: e.seq,
      cameraId: snap.cameraId,
      takenAt: snap.takenAt,
      webp: snap.webp,
    });
    if (dropped) this.log.warn({ dropped }, 'picture queue full; oldest pictures dropped');
    this.sender?.kick();
  }

  /**
   * The buffer's disk is full and it has no telemetry left to evict: give back
   * pictures before it refuses an alarm. The oldest full-size JPEG first (kept
   * only here), then the oldest queued thumbnails. Returns bytes freed (0: none left).
   */
  reclaim(): number {
    const jpeg = this.jpegs.removeOldest();
    if (jpeg > 0) return jpeg;
    return this.queue.dropOldestFreeing();
  }

  private prune(): void {
    const n = this.jpegs.prune();
    if (n) this.log.info({ removed: n }, 'old pictures removed');
  }
}
