import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { node, type Proc, ready, SIM_CLI, until } from '../../helpers/processes.js';
import { configText, gw } from './cli-run.js';

const procs: Proc[] = [];
afterEach(async () => {
  await Promise.all(procs.splice(0).map((p) => p.stop()));
});

const PLATFORM = '34130000002000000001';

function lines(p: Proc): Record<string, unknown>[] {
  return p
    .out()
    .split('\n')
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
}

describe('linli-gateway test and linli-sim for GB/T 28181', () => {
  it('names a wrong password in words, passes with the right one; a simulated NVR registers and lists its channels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-gbtest-'));
    writeFileSync(join(dir, 'platform.pw'), 'Gb-pw-7741\n', { mode: 0o600 });
    writeFileSync(join(dir, 'wrong.pw'), 'not-it\n', { mode: 0o600 });
    const platform = node(SIM_CLI, [
      '--gb-platform',
      '--port',
      '0',
      '--gb-id',
      PLATFORM,
      '--password-file',
      join(dir, 'platform.pw'),
    ]);
    procs.push(platform);
    const { port } = (await ready(platform, 'linli-sim --gb-platform')) as { port: number };
    const config = (pw: string, transport: string) =>
      configText({
        extra: `gb28181:
  id: "34130200002000000001"
  passwordFile: ./${pw}
  upper: { id: "${PLATFORM}", domain: "3413000000", host: 127.0.0.1, port: ${port}, transport: ${transport} }
  t1Ms: 50
`,
      });
    writeFileSync(join(dir, 'wrong.yaml'), config('wrong.pw', 'udp'));
    writeFileSync(join(dir, 'right.yaml'), config('platform.pw', 'tcp'));
    const bad = await gw(['test', '--config', join(dir, 'wrong.yaml'), '--json']);
    expect(bad.code).toBe(1);
    const badRow = JSON.parse(bad.out).results.find((r: { id: string }) => r.id === 'gb28181');
    expect(badRow).toMatchObject({ ok: false, detail: expect.stringMatching(/密码.*wrong password/) });
    const good = await gw(['test', '--config', join(dir, 'right.yaml'), '--json']);
    const goodRow = JSON.parse(good.out).results.find((r: { id: string }) => r.id === 'gb28181');
    expect(goodRow).toMatchObject({ ok: true, detail: expect.stringMatching(/registered/) });
    expect(good.code).toBe(0);
    expect(lines(platform).some((l) => l.event === 'refused')).toBe(true);

    const nvr = node(SIM_CLI, [
      ...['--gb-device', '34130200001180000001', '--server', `${PLATFORM}@127.0.0.1:${port}`],
      ...['--password-file', join(dir, 'platform.pw'), '--channels', '3', '--transport', 'tcp'],
    ]);
    procs.push(nvr);
    const catalog = await until(
      () => lines(platform).find((l) => l.event === 'catalog' && l.id === '34130200001180000001'),
      'the NVR’s catalog at the platform',
    );
    expect((catalog.items as { name: string }[]).map((i) => i.name)).toEqual(['通道1', '通道2', '通道3']);
  });
});
