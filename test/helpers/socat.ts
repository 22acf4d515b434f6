import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './processes.js';

/**
 * A virtual RS-485 line: two pseudo-terminals joined by socat. Whatever one end
 * writes, the other reads, with real serial-port semantics for serialport.
 */
export async function serialPair(): Promise<{ a: string; b: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'linli-pty-'));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  let proc: ChildProcess;
  try {
    proc = spawn('socat', [`pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: 'ignore' });
  } catch (err) {
    throw new Error('socat not found: install it (apt-get install socat); .ci/run does', { cause: err });
  }
  let failed: Error | null = null;
  proc.once(
    'error',
    (e) => (failed = new Error(`socat failed to start (${e.message}); install it with apt-get install socat`)),
  );
  await until(
    () => {
      if (failed) throw failed;
      return existsSync(a) && existsSync(b);
    },
    'socat to create the pty pair',
    5000,
  );
  return {
    a,
    b,
    stop: async () => {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      await new Promise((r) => proc.once('exit', r));
    },
  };
}
