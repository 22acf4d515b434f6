import { LinliError } from '@linli/contract';
import { grabRtspFrame } from './ffmpeg-grab.js';
import { fetchHttpSnapshot } from './http-snapshot.js';
import { type MaskPolygon, renderSnapshot, type SnapshotImages } from './images.js';
import { withCredentials } from './redact.js';
import { Semaphore } from './semaphore.js';

/** A snapshot ready to keep (JPEG) and to send (WebP); both already masked. */
export interface CameraSnapshot extends SnapshotImages {
  cameraId: string;
  takenAt: number;
  source: 'http' | 'rtsp' | 'gb28181';
}

export interface SnapshotSource {
  cameraId: string;
  streamUri: string;
  snapshotUri: string | null;
  username: string;
  password: string;
  masks: readonly MaskPolygon[];
  timeoutMs: number;
}

const DEFAULT_FFMPEG_SLOTS = 4;
let slots = new Semaphore(Number(process.env.LINLI_FFMPEG_MAX) || DEFAULT_FFMPEG_SLOTS);

/** The gateway-wide bound on concurrent ffmpeg processes (a gateway box has few cores). */
export function setFfmpegConcurrency(n: number): void {
  slots = new Semaphore(n);
}
export function ffmpegSlots(): Semaphore {
  return slots;
}

/** One raw frame: RTSP through ffmpeg (the stream health check uses this too). */
export function grabFrame(src: Pick<SnapshotSource, 'streamUri' | 'username' | 'password' | 'timeoutMs'>) {
  return grabRtspFrame(withCredentials(src.streamUri, src.username, src.password), {
    timeoutMs: src.timeoutMs,
    slots,
  });
}

/** How a camera's health is checked: a frame over RTSP (the default), or its HTTP snapshot URI. */
export type StreamCheck = 'rtsp' | 'snapshot';

/**
 * Checks that the camera gives pictures and says how it was checked. RTSP needs
 * ffmpeg; where ffmpeg is missing, a camera with an HTTP snapshot URI is
 * checked through it instead (`'http'` tells the caller to say so once).
 */
export async function probeStream(
  src: Pick<SnapshotSource, 'streamUri' | 'snapshotUri' | 'username' | 'password' | 'timeoutMs'>,
  check: StreamCheck,
): Promise<'rtsp' | 'http'> {
  const http = async () => {
    await fetchHttpSnapshot(src.snapshotUri!, {
      username: src.username,
      password: src.password,
      timeoutMs: src.timeoutMs,
    });
    return 'http' as const;
  };
  if (check === 'snapshot' && src.snapshotUri) return http();
  try {
    await grabFrame(src);
    return 'rtsp';
  } catch (err) {
    if (err instanceof LinliError && err.code === 'NO_FFMPEG' && src.snapshotUri) return http();
    throw err;
  }
}

/**
 * Takes one picture: the camera's HTTP snapshot URI when it has one (cheap, no
 * decoder), otherwise a frame from RTSP; then masks it and makes the thumbnail.
 */
export async function takeSnapshot(src: SnapshotSource): Promise<CameraSnapshot> {
  const takenAt = Date.now();
  let frame: Buffer;
  let source: CameraSnapshot['source'] = 'http';
  if (src.snapshotUri) {
    try {
      frame = await fetchHttpSnapshot(src.snapshotUri, {
        username: src.username,
        password: src.password,
        timeoutMs: src.timeoutMs,
      });
    } catch {
      // The HTTP snapshot failed: the RTSP stream is the fallback, and its failure is the one reported.
      source = 'rtsp';
      frame = await grabFrame(src);
    }
  } else {
    source = 'rtsp';
    frame = await grabFrame(src);
  }
  const images = await renderSnapshot(frame, src.masks);
  return { ...images, cameraId: src.cameraId, takenAt, source };
}
