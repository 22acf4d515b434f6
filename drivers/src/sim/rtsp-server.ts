import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface RtspServerOptions {
  port?: number;
  path?: string;
  pattern?: string;
  width?: number;
  height?: number;
  fps?: number;
  /** 'hang': accepts RTSP but never sends a frame. */
  mode?: 'normal' | 'hang';
  /** Exit abruptly this many seconds after a client starts playing (a camera vanishing mid-stream). */
  vanishAfterS?: number;
  /** Debian's python with the gi bindings; the one on PATH may lack them. */
  python?: string;
}

export interface RtspServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** Resolves when the server process has exited. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

export const RTSP_SCRIPT = fileURLToPath(new URL('../../sim-assets/rtsp-server.py', import.meta.url));

/**
 * Starts GStreamer's RTSP server (drivers/sim-assets/rtsp-server.py) and waits
 * for it to listen. Needs `gir1.2-gst-rtsp-server-1.0 python3-gi
 * gstreamer1.0-plugins-good gstreamer1.0-plugins-ugly`.
 */
export async function startRtspServer(opts: RtspServerOptions = {}): Promise<RtspServer> {
  const path = opts.path ?? '/stream1';
  const args = [RTSP_SCRIPT, '--port', String(opts.port ?? 0), '--path', path];
  if (opts.pattern) args.push('--pattern', opts.pattern);
  if (opts.width) args.push('--width', String(opts.width));
  if (opts.height) args.push('--height', String(opts.height));
  if (opts.fps) args.push('--fps', String(opts.fps));
  if (opts.mode) args.push('--mode', opts.mode);
  if (opts.vanishAfterS) args.push('--vanish-after', String(opts.vanishAfterS));
  // stdin stays open: the server exits when it closes, i.e. when we die.
  const child = spawn(opts.python ?? '/usr/bin/python3', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-2000)));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      try {
        const msg = JSON.parse(line) as { ready: boolean; port?: number; error?: string };
        if (msg.ready && msg.port) resolve(msg.port);
        else reject(new Error(`RTSP server: ${msg.error ?? line}`));
      } catch {
        reject(new Error(`RTSP server said: ${line}`));
      }
    });
    child.once('error', (err) =>
      reject(new Error(`cannot start ${opts.python ?? '/usr/bin/python3'}: ${err.message}`)),
    );
    void exited.then(() =>
      reject(new Error(`RTSP server exited before listening (need GStreamer RTSP server + python3-gi): ${stderr}`)),
    );
  });
  return {
    url: `rtsp://127.0.0.1:${port}${path}`,
    port,
    process: child,
    exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
