import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const HUB_CLI = `${ROOT}dashboard/dist/cli.js`;
export const GATEWAY_CLI = `${ROOT}gateway/dist/cli.js`;
export const SIM_CLI = `${ROOT}drivers/dist/sim/cli.js`;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address() as { port: number };
      s.close(() => resolve(a.port));
    });
  });
}

/**
 * A port free for both TCP and UDP on 127.0.0.1, for a SIP listener (GB/T 28181 devices register over
 * either, on one port). A port that was free for UDP alone can be held on TCP by another test's outgoing
 * connection, and the listener then never opens: the test waited out its timeout for a registration.
 */
export async function freeSipPort(): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const tcp = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(0, '127.0.0.1', () => resolve((tcp.address() as { port: number }).port));
    });
    const udp = createSocket('udp4');
    const free = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '127.0.0.1', () => resolve(true));
    });
    await new Promise<void>((r) => udp.close(() => r()));
    await new Promise<void>((r) => tcp.close(() => r()));
    if (free) return port;
    if (attempt >= 20) throw new Error('no port free for both TCP and UDP on 127.0.0.1 in 20 tries');
  }
}

export async function until<T>(fn: () => T | undefined | false | null, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false && v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A child process whose output is kept for assertions. */
export interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
  stop: () => Promise<void>;
}

export function run(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; detached?: boolean } = {},
): Proc {
  const child = spawn(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

export function node(script: string, args: string[], opts?: Parameters<typeof run>[2]): Proc {
  return run(process.execPath, [script, ...args], opts);
}

/** Waits for a JSON line with `ready: true` on stdout and returns it. */
export async function ready(p: Proc, what: string): Promise<Record<string, unknown>> {
  return until(() => {
    for (const line of p.out().split('\n')) {
      try {
        const msg = JSON.parse(line);
        if (msg.ready) return msg as Record<string, unknown>;
      } catch {}
    }
    if (p.child.exitCode !== null) throw new Error(`${what} exited early: ${p.err()}`);
    return undefined;
  }, `${what} to be ready`);
}

export function hubCli(dataDir: string, args: string[]): string {
  const r = spawnSync(process.execPath, [HUB_CLI, ...args, '--data', dataDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`linli-hub ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * A session token for a city-wide, view-only wall display: creates the user
 * `wall` (city operator for 341300) if needed and issues a display session.
 */
export function cockpitToken(dataDir: string, username = 'wall', role = 'city_operator', area = '341300'): string {
  const made = spawnSync(
    process.execPath,
    [HUB_CLI, 'user', 'add', '--username', username, '--role', role, '--area', area, '--data', dataDir],
    { encoding: 'utf8' },
  );
  if (made.status !== 0 && !made.stderr.includes('已存在')) throw new Error(`user add failed: ${made.stderr}`);
  return hubCli(dataDir, ['display-token', '--username', username]);
}

/** Like until(), for conditions that need a network round trip; errors count as "not yet". */
export async function untilAsync<T>(
  fn: () => Promise<T | undefined | null | false>,
  what: string,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch {}
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
