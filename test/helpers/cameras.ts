import { execFileSync } from 'node:child_process';
import { liveGrabs, OnvifSimulator, startRtspServer } from '@linli/drivers';
import sharp from 'sharp';
import { descendants } from './process-tree.js';

/** ffmpeg processes below this test process (by command name), to prove none is left behind. */
export function ffmpegChildren(): number[] {
  return descendants(process.pid).filter((pid) => {
    try {
      return execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim() === 'ffmpeg';
    } catch {
      return false; // exited between the two ps calls
    }
  });
}

/** True when no ffmpeg runs below us and the grabber tracks none. */
export function noFfmpegLeft(): boolean {
  return ffmpegChildren().length === 0 && liveGrabs.size === 0;
}

/** RGB of one pixel of a decoded image. */
export async function pixel(image: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

export const isBlack = ([r, g, b]: [number, number, number]) => r < 24 && g < 24 && b < 24;
export const isBright = ([r, g, b]: [number, number, number]) => r > 180 && g > 180 && b > 180;

/**
 * ONVIF camera simulators whose every picture is a real RTSP frame: one
 * GStreamer RTSP server (a white picture) behind them and no HTTP snapshot
 * URI, so ffmpeg pulls each frame; a short PullPoint wait keeps event tests
 * quick. Started; the server and each camera are stopped through `cleanup`.
 */
export async function startRtspCameras(
  names: readonly string[],
  o: { username: string; password: string; discoveryPort?: number },
  cleanup: (() => Promise<void> | void)[],
): Promise<OnvifSimulator[]> {
  const rtsp = await startRtspServer({ pattern: 'white' });
  cleanup.push(() => rtsp.stop());
  const cams: OnvifSimulator[] = [];
  for (const name of names) {
    const cam = new OnvifSimulator({ name, ...o, rtspUrl: rtsp.url, snapshot: false, maxPullWaitMs: 300 });
    await cam.start();
    cleanup.push(() => cam.stop());
    cams.push(cam);
  }
  return cams;
}

/** One such camera (startRtspCameras), with an RTSP server of its own. */
export async function startRtspCamera(
  name: string,
  o: { username: string; password: string; discoveryPort?: number },
  cleanup: (() => Promise<void> | void)[],
): Promise<OnvifSimulator> {
  const [cam] = await startRtspCameras([name], o, cleanup);
  return cam!;
}
