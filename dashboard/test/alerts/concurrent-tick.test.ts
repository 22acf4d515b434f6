import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CITY, MIN, service, smoke, T0 } from './fixtures.js';

const RACER = fileURLToPath(new URL('./tick-racer.mjs', import.meta.url));
const config = {
  maxLevel: 3,
  sla: { default: { dispatchMs: 10 * MIN, acknowledgeMs: 10 * MIN, resolveMs: 10 * MIN }, rules: [] },
};
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill();
});

/** Starts one racer process and resolves once it has loaded the service and opened the database. */
function racer(file: string, times: number[]) {
  const child = spawn(process.execPath, [RACER, file, JSON.stringify(times), JSON.stringify(config)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  const ready = new Promise<void>((resolve, reject) => {
    const check = () => out.startsWith('ready\n') && resolve();
    child.stdout!.on('data', check);
    exited.then((code) => reject(new Error(`racer exited (${code}) before ready: ${err}`)));
  });
  const result = async () => {
    const code = await exited;
    if (code !== 0) throw new Error(`racer failed (${code}): ${err}`);
    return JSON.parse(out.split('\n')[1]!) as { won: string[]; ticks: number; lost: number };
  };
  return { child, ready, result };
}

describe('escalation across two hub processes on one SQLite file', () => {
  it('escalates every alert exactly once per level, whichever process wins', async () => {
    const { svc, db, file } = service({ now: () => T0, config });
    const alerts = svc.ingest(Array.from({ length: 1500 }, (_, i) => smoke({ deviceId: `smoke-${i}` })));
    db.close();
    // Three deadlines: each level's escalation is up for grabs by both processes.
    const times = [T0 + 10 * MIN, T0 + 30 * MIN, T0 + 50 * MIN];
    const a = racer(file, times);
    const b = racer(file, times);
    await Promise.all([a.ready, b.ready]);
    a.child.stdin!.end('go\n');
    b.child.stdin!.end('go\n');
    const [ra, rb] = await Promise.all([a.result(), b.result()]);

    const all = [...ra.won, ...rb.won];
    expect(new Set(all).size).toBe(all.length); // nobody escalated the same alert to the same level twice
    expect(all.sort()).toEqual(alerts.flatMap((x) => [1, 2, 3].map((l) => `${x.id}:${l}`)).sort());
    const { svc: check } = service({ file, config });
    for (const x of alerts) {
      const esc = check.history(x.id, CITY)!.filter((h) => h.action === 'escalate');
      expect(esc.map((h) => h.level)).toEqual([1, 2, 3]);
    }
    // Report how contested the race was (both won some when the processes overlapped).
    console.log(
      `racer A won ${ra.won.length} (lost ${ra.lost}) in ${ra.ticks} ticks; racer B won ${rb.won.length} (lost ${rb.lost}) in ${rb.ticks} ticks`,
    );
  }, 120_000);
});
