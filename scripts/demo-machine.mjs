// What the demo needs from this machine: free ports for the simulators, and
// whether ffmpeg is there (so `npm start` can say once what is missing).
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * A port nothing listens on, for a simulator to bind. Communities start side by
 * side, so the kernel may hand the same just-closed port to two of them before
 * either simulator binds it: ports already given out are never given again.
 */
const givenPorts = new Set();
export async function freePort() {
  for (;;) {
    const p = await new Promise((res, rej) => {
      const s = createServer();
      s.once('error', rej);
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address();
        s.close(() => res(port));
      });
    });
    if (!givenPorts.has(p)) {
      givenPorts.add(p);
      return p;
    }
  }
}

/** The gateway's own lookup order (FFMPEG_PATH, then PATH); the demo only says what is missing. */
export function ffmpegFound() {
  const candidates = process.env.FFMPEG_PATH
    ? [process.env.FFMPEG_PATH]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((d) => join(d, 'ffmpeg'));
  return candidates.some((f) => {
    try {
      accessSync(f, constants.X_OK);
      return execFileSync(f, ['-version'], { stdio: ['ignore', 'pipe', 'ignore'] }).length > 0;
    } catch {
      return false;
    }
  });
}
