import { spawn } from 'node:child_process';
import { LinliError } from '@linli/contract';
import { locateFfmpeg } from './ffmpeg-path.js';
import type { Semaphore } from './semaphore.js';
import { redactUrl } from './redact.js';

export interface GrabOptions {
  /** Kills ffmpeg (and its process group) after this long; the promise still waits for its exit. */
  timeoutMs: number;
  /** Bounds concurrent ffmpeg processes across the gateway. */
  slots: Semaphore;
  ffmpegPath?: string;
  /** Larger output than this is treated as a broken stream. */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/** Live ffmpeg children of this process, so health checks and tests can see none is left behind. */
export const liveGrabs = new Set<number>();

/**
 * Pulls one frame from an RTSP stream as a JPEG (RTP over TCP: no UDP ports to
 * open through a compound's firewalls). ffmpeg runs in its own process group so
 * a timeout can kill everything it started; the promise settles only after the
 * process has exited, so no zombie is ever left.
 */
export async function grabRtspFrame(url: string, opts: GrabOptions): Promise<Buffer> {
  const ffmpeg = opts.ffmpegPath ?? (await locateFfmpeg());
  return opts.slots.run(() => runOnce(ffmpeg, url, opts));
}

/**
 * One frame from an MPEG-2 program stream written to ffmpeg's stdin (a GB/T
 * 28181 camera's PS over RTP, reassembled): `feed` is handed the writer and
 * called once ffmpeg runs; the same bounds and clean-up as an RTSP grab.
 */
export async function grabPsFrame(
  label: string,
  feed: (write: (b: Buffer) => void) => void,
  opts: GrabOptions,
): Promise<Buffer> {
  const ffmpeg = opts.ffmpegPath ?? (await locateFfmpeg());
  const input = ['-hide_banner', '-loglevel', 'error', '-f', 'mpeg', '-probesize', '65536', '-i', 'pipe:0'];
  return opts.slots.run(() => runOnce(ffmpeg, label, opts, input, feed));
}

function runOnce(
  ffmpeg: string,
  url: string,
  opts: GrabOptions,
  inputArgs?: string[],
  feed?: (write: (b: Buffer) => void) => void,
): Promise<Buffer> {
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const rtspInput = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-rtsp_transport',
    'tcp',
    // Probe half a second, not five: one frame is all we want (first frame ~0.7 s instead of ~3 s here).
    '-analyzeduration',
    '500000',
    '-probesize',
    '65536',
    // Socket I/O timeout (µs) inside ffmpeg; our own timer below is the hard bound.
    '-timeout',
    String(opts.timeoutMs * 1000),
    '-i',
    url,
  ];
  const args = [
    ...(inputArgs ?? rtspInput),
    '-frames:v',
    '1',
    '-f',
    'image2pipe',
    '-c:v',
    'mjpeg',
    '-q:v',
    '3',
    'pipe:1',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { detached: true, stdio: [feed ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    if (feed && child.stdin) {
      const stdin = child.stdin;
      // ffmpeg closes its stdin once it has its frame: later writes are dropped, not errors.
      stdin.on('error', () => undefined);
      feed((b) => void (stdin.writable && stdin.write(b)));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: LinliError | null = null;
    const kill = (why: LinliError) => {
      failure ??= why;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // No process group (already gone, or not a leader): kill the child alone.
        child.kill('SIGKILL');
      }
    };
    if (child.pid) liveGrabs.add(child.pid);
    const timer = setTimeout(
      () => kill(new LinliError('TIMEOUT', `no frame from ${redactUrl(url)} within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    child.stdout!.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) kill(new LinliError('STREAM', `frame from ${redactUrl(url)} exceeds ${max} bytes`));
      else chunks.push(c);
    });
    child.stderr!.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString('utf8')).slice(-2000);
    });
    child.on('error', (err) => {
      failure ??= new LinliError('FFMPEG', `cannot run ${ffmpeg}: ${err.message}`);
    });
    // 'close' comes after the exit and after stdio has drained: the only safe moment to settle.
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (child.pid) liveGrabs.delete(child.pid);
      if (failure) return reject(failure);
      const jpeg = Buffer.concat(chunks);
      if (code === 0 && jpeg.length > 0) return resolve(jpeg);
      const detail = scrub(stderr, url).trim().split('\n').pop() || `exit ${code ?? signal}`;
      reject(new LinliError('STREAM', `no frame from ${redactUrl(url)}: ${detail}`));
    });
  });
}

/** ffmpeg echoes the input URL in its errors; never let a password through. */
function scrub(text: string, url: string): string {
  return text.split(url).join(redactUrl(url));
}
