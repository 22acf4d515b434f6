import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bareMachine } from '../helpers/bare-machine.js';
import { descendants } from '../helpers/process-tree.js';
import { freePort, type Proc, run, until } from '../helpers/processes.js';

/**
 * The README's promise on a machine with only Node and npm: `npm start` runs the
 * whole demo city with GStreamer, ffmpeg and Chromium hidden. What needs them
 * degrades with one clear line; every community comes online (cameras checked
 * through their HTTP snapshot URI) and an alarm still gets a picture that shows
 * something: the camera's own scene and clock, not a flat frame.
 */
let demo: Proc;
let dataDir: string;

interface GatewayRow {
  id: string;
  node_id: string | null;
  status: string | null;
}

function hubRows<T>(sql: string, ...args: unknown[]): T[] {
  const db = new Database(join(dataDir, 'hub', 'hub.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'linli-bare-demo-'));
  const port = await freePort();
  const [cmd, args] = bareMachine('npm', ['start']);
  demo = run(cmd, args, { env: { LINLI_PORT: String(port), LINLI_DATA: dataDir }, detached: true });
  // Over fifty processes on a small machine: generous, it only bounds a hang.
  await until(
    () => {
      // A demo that stopped (a child failed) says why in its output: fail with it, not after the bound.
      if (demo.child.exitCode !== null || demo.child.signalCode !== null)
        throw new Error(
          `npm start exited before the cockpit was up:\n${demo.out().slice(-3000)}\n${demo.err().slice(-3000)}`,
        );
      return /驾驶舱 Cockpit[^:]*: (http:\/\/\S+)/.exec(demo.out())?.[1];
    },
    'the cockpit URL from npm start',
    270_000,
  );
});

afterAll(async () => {
  if (demo && demo.child.exitCode === null && demo.child.signalCode === null) {
    try {
      process.kill(-demo.child.pid!, 'SIGINT');
      await until(() => demo.child.exitCode !== null || demo.child.signalCode !== null, 'the demo to stop', 30_000);
    } catch {
      process.kill(-demo.child.pid!, 'SIGKILL');
    }
  }
});

describe('npm start on a bare machine (no GStreamer, no ffmpeg, no Chromium)', () => {
  it('says once what is missing and how to get it', () => {
    const out = demo.out();
    expect(out).toMatch(/snapshots only: no GStreamer/);
    expect(out.match(/ffmpeg 未安装 not found.*apt-get install ffmpeg/g)).toHaveLength(1);
    expect(out).not.toMatch(/exited before it was ready/);
  });

  it('brings every community online with all its devices, cameras included', async () => {
    const online = await until(
      () => {
        const rows = hubRows<GatewayRow>('SELECT id, node_id, status FROM gateways');
        const ok = rows.filter((r) => {
          if (!r.node_id || !r.status) return false;
          const s = JSON.parse(r.status) as { devices: { total: number; online: number } };
          return s.devices.total >= 7 && s.devices.online === s.devices.total;
        });
        return ok.length === 10 ? ok : undefined;
      },
      'ten gateways connected with every device online',
      180_000,
    );
    expect(online.map((r) => r.id).sort()).toEqual(
      hubRows<{ id: string }>('SELECT id FROM gateways ORDER BY id').map((r) => r.id),
    );
  });

  it('gives an alarm a picture of the camera scene over HTTP', async () => {
    const cameras = descendants(demo.child.pid!).find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--camera');
      } catch {
        return false;
      }
    });
    expect(cameras).toBeGreaterThan(0);
    // SIGUSR1: every simulated camera reports motion, as its analytics would.
    process.kill(cameras!, 'SIGUSR1');
    const pictures = await until(
      () => {
        const rows = hubRows<{ gateway_id: string; bytes: Buffer }>(
          `SELECT m.gateway_id, m.bytes FROM event_media m JOIN events e ON e.id = m.event_id
           WHERE e.kind = 'camera.motion' GROUP BY m.gateway_id`,
        );
        return rows.length >= 2 ? rows : undefined;
      },
      'motion pictures from two communities at the hub',
      120_000,
    );
    const [a, b] = pictures;
    const statsA = await sharp(a!.bytes).stats();
    // A scene, not a flat frame: real spread in every colour channel.
    for (const ch of statsA.channels.slice(0, 3)) expect(ch.stdev).toBeGreaterThan(20);
    // Each camera draws its own scene: two communities' pictures differ.
    const [pa, pb] = await Promise.all([a!, b!].map((p) => sharp(p.bytes).resize(32, 18).raw().toBuffer()));
    let diff = 0;
    for (let i = 0; i < pa!.length; i++) diff += Math.abs(pa![i]! - pb![i]!);
    expect(diff / pa!.length).toBeGreaterThan(10);
  });
});
