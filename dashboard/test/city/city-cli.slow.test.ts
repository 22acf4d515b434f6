// Slow tier (npm test only, not npm run test:fast): spawns the hub CLI about twenty times (~14 s of CPU alone). See CONTRIBUTING.md, "Test tiers".
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { geojsonCity, kmlCity, NEW_CITY, shapefileCity, syntheticAreas } from '../../../test/helpers/city-files.js';

const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;

/** Runs `linli-hub ARGS` to its end: exit code and both streams. */
function hub(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LINLI_LOG_LEVEL: 'silent' } });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('linli-hub city', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linli-city-cli-'));
  const data = join(dir, 'hub');
  const file = (name: string, content: string | Uint8Array) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };
  let zip = '';
  let kml = '';
  let v2 = '';
  let bad = '';
  beforeAll(async () => {
    zip = file('滁州区划.zip', await shapefileCity());
    kml = file('city.kml', kmlCity());
    v2 = file('v2.geojson', geojsonCity(syntheticAreas({ rename: { [NEW_CITY.streetB]: '南谯街道' } })));
    const areas = syntheticAreas();
    areas.push({ ...areas.at(-1)!, code: '341102002002003', name: '重叠网格' });
    bad = file('bad.geojson', geojsonCity(areas));
  });

  it('answers --help for city and every subcommand', async () => {
    const r = await hub(['city', '--help']);
    expect(r.code).toBe(0);
    for (const sub of ['import', 'list', 'show', 'diff', 'activate']) expect(r.out).toContain(`linli-hub city ${sub}`);
    expect((await hub(['city', 'import', '--help'])).code).toBe(0);
    expect((await hub(['--help'])).out).toContain('linli-hub city');
  });

  it('a dry run prints the report in Chinese and English and stores nothing', async () => {
    const r = await hub(['city', 'import', bad, '--dry-run', '--data', data]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('校验未通过 / invalid');
    expect(r.out).toMatch(
      /（341102002002002）：与同级 重叠网格（341102002002003） 重叠.* \/ .*overlaps 重叠网格 \(341102002002003\)/,
    );
    expect(r.out).toContain('[overlap]');
    expect(r.err).toMatch(/\[validate\] 校验/);
    const list = await hub(['city', 'list', '--data', data]);
    expect(list.out).toContain('尚无城市版本');
  });

  it('imports a GBK Shapefile in GCJ-02 and a KML, diffs and activates versions, refusing orphans until reassigned', async () => {
    const missingCrs = await hub(['city', 'import', zip, '--data', data, '--json']);
    // No .prj and coordinates in China: the coordinate system must be given, and the failed version says why.
    expect(missingCrs.code).toBe(1);
    expect(JSON.parse(missingCrs.out).report.issues[0].kind).toBe('crs-unknown');
    const shp = await hub(['city', 'import', zip, '--crs', 'gcj02', '--name', '滁州市', '--data', data]);
    expect(shp.code, shp.out + shp.err).toBe(0);
    expect(shp.out).toContain('版本 2 / version 2: 滁州市');
    expect(shp.out).toContain('网格 8');
    const k = await hub(['city', 'import', kml, '--data', data, '--json']);
    expect(JSON.parse(k.out)).toMatchObject({ id: 3, report: { ok: true } });
    expect((await hub(['city', 'import', v2, '--data', data])).code).toBe(0);
    const diff = await hub(['city', 'diff', '2', '4', '--data', data]);
    expect(diff.out).toContain('~ 341102002 清流街道 → 南谯街道');
    expect(diff.out).toContain('更名 1');
    expect((await hub(['city', 'activate', '1', '--data', data])).out).toContain('校验未通过');
    expect((await hub(['city', 'activate', '2', '--data', data])).code).toBe(0);
    expect((await hub(['city', 'list', '--data', data])).out).toMatch(/^\* 2\t有效 valid\t16 个面域/m);
    // A street leader of the old city is an orphan for a city that lacks her street.
    const user = await hub([
      'user',
      'add',
      '--data',
      data,
      '--username',
      'old-leader',
      '--role',
      'street_leader',
      '--area',
      '341302001',
    ]);
    expect(user.code, user.err).toBe(0);
    const refused = await hub(['city', 'activate', '4', '--data', data]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('用户 user: 341302001 ×1 (old-leader)');
    const moved = await hub(['city', 'activate', '4', '--reassign', `341302001=${NEW_CITY.streetA}`, '--data', data]);
    expect(moved.code, moved.out).toBe(0);
    expect(moved.out).toContain('迁移 1 行');
    const show = await hub(['city', 'show', '4', '--data', data]);
    expect(show.out).toContain('（当前启用 active）');
    expect(show.out).toContain('v2.geojson (geojson');
  }, 240_000); // A hang bound for a dozen CLI processes on a busy machine, not a speed check.

  it('refuses a mapping file with an unknown key, naming the nearest one', async () => {
    const m = file('mapping.json', JSON.stringify({ code: 'CODE', nmae: 'NAME' }));
    const r = await hub(['city', 'import', zip, '--mapping', m, '--dry-run', '--crs', 'gcj02']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('unknown key "nmae"');
    expect(r.err).toContain('did you mean "name"');
  });
});
