import { execFileSync } from 'node:child_process';
import { liveGrabs } from '@linli/drivers';
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
