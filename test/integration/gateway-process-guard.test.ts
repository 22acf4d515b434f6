import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/processes.js';

const dist = (f: string) => `${ROOT}gateway/dist/${f}`;

/** Runs a script in a real Node process (the built gateway), like `linli-gateway run` does. */
function runChild(script: string, stdout: 'pipe' | number = 'pipe') {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', stdout, 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.once('close', (code) => resolve({ code, out, err })),
  );
}

const guarded = (body: string) => `
import { ProcessGuard } from ${JSON.stringify(dist('cli/process-guard.js'))};
import { createLogger } from ${JSON.stringify(dist('log.js'))};
const log = createLogger('guard-test');
const guard = new ProcessGuard(log, () => { process.stderr.write('FATAL\\n'); process.exit(70); });
guard.install();
${body}
`;

describe('the process guard of linli-gateway run', () => {
  it('records what escaped (a throw in a timer, an unhandled rejection, a full-disk error) and carries on', async () => {
    const r = await runChild(
      guarded(`
setTimeout(() => { throw new Error('a listener bug'); }, 10);
setTimeout(() => { Promise.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })); }, 30);
setTimeout(() => { process.stderr.write('ALIVE ' + guard.escaped.count + ' ' + guard.escaped.last.code + '\\n'); }, 200);
`),
    );
    expect(r.err).toContain('ALIVE 2 SQLITE_FULL');
    expect(r.code).toBe(0);
    const lines = r.out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; code?: string });
    expect(lines.map((l) => l.msg)).toEqual([
      'an error escaped every handler; recorded, the gateway carries on',
      'an error escaped every handler; recorded, the gateway carries on',
    ]);
  });

  it('ends the process (exit 70, so systemd restarts it) only for a corrupt database', async () => {
    const r = await runChild(
      guarded(`
setTimeout(() => { throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' }); }, 10);
setTimeout(() => { process.stderr.write('STILL RUNNING\\n'); }, 2000);
`),
    );
    expect(r.code).toBe(70);
    expect(r.err).toContain('FATAL');
    expect(r.err).not.toContain('STILL RUNNING');
    expect(r.out).toContain('a database is corrupt; stopping so the service restarts');
  });

  it('a logger whose stdout is a full disk drops lines instead of crashing the process', async () => {
    const r = await runChild(
      `
import { createLogger } from ${JSON.stringify(dist('log.js'))};
import { droppedLogWrites } from ${JSON.stringify(dist('log-destination.js'))};
process.on('uncaughtException', (e) => { process.stderr.write('ESCAPED ' + e.code + '\\n'); process.exit(3); });
const log = createLogger('full-disk');
let n = 0;
const t = setInterval(() => {
  log.info({ n: n++ }, 'a line for a disk with no space left');
  if (n === 50) { clearInterval(t); setTimeout(() => process.stderr.write('DROPPED ' + (droppedLogWrites.count > 0) + '\\n'), 100); }
}, 2);
`,
      openSync('/dev/full', 'w'),
    );
    expect(r.err).not.toContain('ESCAPED');
    expect(r.err).toContain('DROPPED true');
    expect(r.code).toBe(0);
  });
});
