import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type Proc, ROOT, run } from './processes.js';

/** The SIPp scenarios of the GB/T 28181 cross-checks. */
export const SIPP_SCENARIOS = join(ROOT, 'test', 'fixtures', 'gb28181');

/** What each test started, stopped after it newest first: call at module level, push a stop per thing started. */
export function stopsAfterEach(): (() => unknown)[] {
  const stops: (() => unknown)[] = [];
  afterEach(async () => {
    for (const s of stops.splice(0).reverse()) await s();
  });
  return stops;
}

export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/**
 * Debian's SIPp (package sip-tester) playing one call of a scenario on
 * loopback, stopped with the test's stops; a missing sipp fails the test.
 */
export function sipp(args: string[], stops: (() => unknown)[]): Proc {
  if (spawnSync('sipp', ['-v']).error)
    throw new Error('sipp not found: install it (apt-get install sip-tester); .ci/run does');
  const p = run('sipp', [...args, '-i', '127.0.0.1', '-m', '1', '-nostdin', '-timeout', '60s']);
  stops.push(() => p.stop());
  return p;
}

/** A SIPp injection file naming one camera ([field0] in the camera scenarios). */
export function cameraCsv(deviceId: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'linli-sipp-')), 'camera.csv');
  writeFileSync(file, `SEQUENTIAL\n${deviceId}\n`);
  return file;
}
