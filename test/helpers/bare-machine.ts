import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The command line that runs `cmd args…` as on a machine with only Node and npm:
 * in a private mount namespace where GStreamer's Python bindings are an empty
 * folder and ffmpeg, ffprobe and Chromium are stubs that say "not installed" and
 * exit 127 (the same as `shared/tools/bare-machine`, kept here so CI needs
 * nothing outside the repository). Needs root for `unshare -m`, as CI has.
 */
export function bareMachine(cmd: string, args: string[]): [string, string[]] {
  if (process.getuid?.() !== 0)
    throw new Error('the bare-machine test needs root (unshare -m, mount --bind); CI runs as root');
  const dir = mkdtempSync(join(tmpdir(), 'linli-bare-'));
  const empty = join(dir, 'empty');
  const stub = join(dir, 'stub');
  writeFileSync(stub, '#!/bin/sh\necho "not installed" >&2\nexit 127\n', { mode: 0o755 });
  const script = [
    'set -e',
    `mkdir -p ${empty}`,
    'for d in /usr/lib/python3/dist-packages/gi; do [ -e "$d" ] && mount --bind ' + empty + ' "$d"; done',
    'for f in /usr/bin/ffmpeg /usr/bin/ffprobe /usr/bin/chromium; do [ -e "$f" ] && mount --bind ' +
      stub +
      ' "$f"; done',
    'exec "$@"',
  ].join('\n');
  return ['unshare', ['-m', 'bash', '-c', script, 'bare', cmd, ...args]];
}
