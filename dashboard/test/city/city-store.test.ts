import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import {
  centreOf,
  facilitiesGeojson,
  geojsonCity,
  kmlCity,
  NEW_CITY,
  roadsGeojson,
  shapefileCity,
  syntheticAreas,
} from '../../../test/helpers/city-files.js';
import { AuditLog } from '../../src/audit/audit-log.js';
import { ActiveCity } from '../../src/city/active-city.js';
import { importCity } from '../../src/city/city-import.js';
import { CityError, CityService } from '../../src/city/city-service.js';
import { CityStore } from '../../src/city/city-store.js';
import { ensureDemoCity } from '../../src/city/hub-city.js';
import { createLogger } from '../../src/log.js';
import { FieldCrypto } from '../../src/privacy/field-crypto.js';
import { SqlHubStore } from '../../src/store/sql-hub-store.js';
import { describeEachDialect } from '../support/dialects.js';

const enc = (s: string) => new TextEncoder().encode(s);
const CLI = { userId: 'cli', role: 'system' as const };
const silent = createLogger('city', 'silent');

describeEachDialect('city versions', (ctx) => {
  function setup() {
    const crypto = FieldCrypto.open(mkdtempSync(join(tmpdir(), 'linli-city-')));
    const audit = new AuditLog(ctx.db, { hmacKey: crypto.auditKey });
    const store = new CityStore(ctx.db);
    return { store, audit, cities: new CityService(store, audit), city: new ActiveCity(store) };
  }
  const geojson = () =>
    importCity(
      [
        { name: 'areas.geojson', data: enc(geojsonCity()) },
        { name: 'facilities.geojson', data: enc(facilitiesGeojson()) },
        { name: 'roads.geojson', data: enc(roadsGeojson()) },
      ],
      { name: '滁州市 v1' },
    );
  const actions = async () =>
    (
      await ctx.db.all<{ action: string; outcome: string; target_id: string }>(
        "SELECT action, outcome, target_id FROM audit_log WHERE target_type = 'city' ORDER BY seq",
      )
    ).map((r) => `${r.action} ${r.target_id} ${r.outcome}`);

  it('stores an imported city, activates it atomically, and the active city serves its grids', async () => {
    const { store, cities, city } = setup();
    const draft = await geojson();
    expect(draft.report).toMatchObject({
      ok: true,
      counts: { city: 1, district: 1, street: 2, community: 4, grid: 8, facilities: 5, roads: 2 },
    });
    // Kinds in Chinese become service types; a police post is kept, not counted, and said so.
    expect(draft.facilities.map((f) => f.type)).toEqual(['elderly-care', 'clinic', 'canteen', 'convenience', null]);
    expect(draft.report.issues.map((i) => i.kind)).toEqual(['unknown-kind']);
    // No home points in the files: homes are sampled inside each grid (documented in docs/city-import.md).
    expect(draft.source.homes).toBe('sampled');
    expect(new Set(draft.homes.map((h) => h.grid)).size).toBe(8);
    const id = (await cities.save(draft, CLI, 1000))!;
    expect(await store.list()).toEqual([
      expect.objectContaining({ id, name: '滁州市 v1', status: 'valid', active: false }),
    ]);
    expect(await store.activeId()).toBeNull();
    expect(await city.refresh()).toBe(false);
    expect(city.current().version).toBeNull();
    await cities.activate(id, CLI, 2000);
    expect(await store.activeId()).toBe(id);
    expect(await city.refresh()).toBe(true);
    const [lng, lat] = centreOf(NEW_CITY.gridA1a);
    expect(city.current().index.gridAt(lng, lat)?.code).toBe(NEW_CITY.gridA1a);
    expect(city.current().catalog.exists(NEW_CITY.communityA1)).toBe(true);
    expect(city.current().version).toMatchObject({ id, demo: false });
    expect(await actions()).toEqual([`city:import ${id} ok`, `city:activate ${id} ok`]);
  });

  it('reads a zipped Shapefile with GBK names in GCJ-02 and a KML to the same city', async () => {
    const shp = await importCity([{ name: 'areas.zip', data: await shapefileCity() }], { name: 'shp', crs: 'GCJ02' });
    expect(shp.report.issues).toEqual([]);
    const kml = await importCity([{ name: 'areas.kml', data: enc(kmlCity()) }], { name: 'kml' });
    expect(kml.report.issues).toEqual([]);
    const want = syntheticAreas();
    for (const draft of [shp, kml]) {
      expect(draft.areas.map((a) => [a.code, a.name])).toEqual(want.map((a) => [a.code, a.name]));
      // GCJ-02 converted back to WGS-84 lands within a few centimetres of where the test put it.
      for (const a of draft.areas) {
        const w = want.find((x) => x.code === a.code)!;
        const near = w.ring.every((p) => a.ring!.some((q) => Math.hypot(p[0] - q[0], p[1] - q[1]) < 1e-6));
        expect(near, a.code).toBe(true);
      }
    }
  });

  it('a city with errors is stored as failed, with its report, and refused for activation', async () => {
    const { store, cities } = setup();
    const areas = syntheticAreas();
    // A grid that overlaps its sibling, a sibling with the same name, and a code of the wrong length.
    const g = areas.find((a) => a.code === NEW_CITY.gridA1a)!;
    g.ring = g.ring.map(([x, y]) => [x === g.ring[0]![0] ? x : x + 0.002, y]);
    areas.find((a) => a.code === '341102001001002')!.name = g.name;
    areas.push({ code: '34110200100', name: '坏编码', ring: g.ring });
    const draft = await importCity([{ name: 'bad.geojson', data: enc(geojsonCity(areas)) }], {
      name: 'bad',
      level: undefined,
    });
    expect(draft.report.ok).toBe(false);
    const kinds = new Set(draft.report.issues.map((i) => i.kind));
    for (const k of ['overlap', 'duplicate-name', 'bad-level']) expect(kinds, [...kinds].join()).toContain(k);
    for (const i of draft.report.issues) expect(i.message).toMatch(/[\u4e00-\u9fff].* \/ /);
    const id = (await cities.save(draft, CLI, 1000))!;
    expect((await store.get(id))!.status).toBe('failed');
    await expect(cities.activate(id, CLI, 2000)).rejects.toMatchObject({ code: 'FAILED_VERSION' });
    expect(await store.activeId()).toBeNull();
    expect(await actions()).toEqual([`city:import ${id} error`, `city:activate ${id} denied`]);
  });

  it('diffs two versions: added, removed, renamed, reshaped', async () => {
    const { cities } = setup();
    const v1 = (await cities.save(await geojson(), CLI, 1))!;
    const areas = syntheticAreas({ rename: { [NEW_CITY.streetB]: '南谯街道' }, dropGrid: NEW_CITY.gridB2b });
    const c = areas.find((a) => a.code === '341102002002')!;
    // The community shrinks to its one remaining grid.
    c.ring = areas.find((a) => a.code === '341102002002001')!.ring;
    const v2 = (await cities.save(
      await importCity([{ name: 'v2.geojson', data: enc(geojsonCity(areas)) }], { name: 'v2' }),
      CLI,
      2,
    ))!;
    const d = await cities.diff(v1, v2);
    expect(d).toEqual({
      from: v1,
      to: v2,
      added: [],
      removed: [{ code: NEW_CITY.gridB2b, name: '南谯社区第2网格' }],
      renamed: [{ code: NEW_CITY.streetB, from: '清流街道', to: '南谯街道' }],
      reshaped: [{ code: '341102002002', name: '南谯社区' }],
    });
    await expect(cities.diff(v1, 99)).rejects.toBeInstanceOf(CityError);
  });

  it('refuses to orphan users and gateways unless they are reassigned or the orphans accepted', async () => {
    const { store, cities } = setup();
    const hub = new SqlHubStore(ctx.db);
    await hub.upsertGateway('gw-old', 'a'.repeat(64), '341302001001');
    await ctx.db.run(
      `INSERT INTO users (id, username, display_name, role, area_code, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ['u1', 'leader', 'leader', 'street_leader', '341302001', 'x', 1],
    );
    const id = (await cities.save(await geojson(), CLI, 1))!;
    const err = await cities.activate(id, CLI, 2).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CityError);
    expect((err as CityError).orphans.map((o) => [o.kind, o.code, o.ids])).toEqual([
      ['user', '341302001', ['leader']],
      ['gateway', '341302001001', ['gw-old']],
    ]);
    expect(await store.activeId()).toBeNull();
    await expect(
      cities.activate(id, CLI, 3, { reassign: new Map([['341302001', '999999999']]) }),
    ).rejects.toMatchObject({ code: 'BAD_REASSIGN' });
    // The user moves to a street of the new city; the gateway is still orphaned, so still refused, and nothing moved.
    await expect(
      cities.activate(id, CLI, 4, { reassign: new Map([['341302001', NEW_CITY.streetA]]) }),
    ).rejects.toMatchObject({ code: 'ORPHANS' });
    expect((await ctx.db.get<{ a: string }>("SELECT area_code AS a FROM users WHERE id = 'u1'"))!.a).toBe('341302001');
    const done = await cities.activate(id, CLI, 5, {
      reassign: new Map([['341302001', NEW_CITY.streetA]]),
      acceptOrphans: true,
    });
    expect(done.moved).toBe(1);
    expect(done.accepted.map((o) => o.kind)).toEqual(['gateway']);
    expect((await ctx.db.get<{ a: string }>("SELECT area_code AS a FROM users WHERE id = 'u1'"))!.a).toBe(
      NEW_CITY.streetA,
    );
    expect(await store.activeId()).toBe(id);
  });

  it('never lets an administrator read a grid register count (or that it is not zero) by dropping the grid', async () => {
    const { cities } = setup();
    const v1 = (await cities.save(await geojson(), CLI, 1))!;
    await cities.activate(v1, CLI, 2);
    // Two key-population records in one grid; none in the other grid about to vanish.
    for (const id of ['r1', 'r2'])
      await ctx.db.run(
        `INSERT INTO people_residents (id, grid_code, category, name_enc, id_number_enc, id_blind, import_id, created_at)
         VALUES (?, ?, 'elderly_alone', 'x', 'x', ?, 'imp', 1)`,
        [id, NEW_CITY.gridB2b, `blind-${id}`],
      );
    const dropping = async (grid: string) => {
      const v = (await cities.save(
        await importCity([{ name: 'v.geojson', data: enc(geojsonCity(syntheticAreas({ dropGrid: grid }))) }], {
          name: `without ${grid}`,
        }),
        CLI,
        3,
      ))!;
      return (await cities.orphans(v, 4)).filter((o) => o.kind === 'resident');
    };
    const withPeople = await dropping(NEW_CITY.gridB2b);
    const withoutPeople = await dropping(NEW_CITY.gridA1a);
    // The same shape either way: one entry for the vanished grids, its total suppressed below 5.
    expect(withPeople).toEqual([{ kind: 'resident', code: '*', count: '<5', ids: [NEW_CITY.gridB2b] }]);
    expect(withoutPeople).toEqual([{ kind: 'resident', code: '*', count: '<5', ids: [NEW_CITY.gridA1a] }]);
    // Reassigning the vanished grid moves its records and clears the entry.
    const v = (await cities.save(
      await importCity(
        [{ name: 'v.geojson', data: enc(geojsonCity(syntheticAreas({ dropGrid: NEW_CITY.gridB2b }))) }],
        {
          name: 'moved',
        },
      ),
      CLI,
      5,
    ))!;
    const done = await cities.activate(v, CLI, 6, { reassign: new Map([[NEW_CITY.gridB2b, NEW_CITY.gridA1a]]) });
    expect(done.accepted).toEqual([]);
    expect(done.moved).toBe(2);
  });

  it('imports the demo city once, flagged demo, as the first version of an empty database', async () => {
    const { store, cities, city } = setup();
    await ensureDemoCity(cities, silent);
    await ensureDemoCity(cities, silent);
    const list = await store.list();
    expect(list).toEqual([
      expect.objectContaining({ id: 1, demo: true, status: 'valid', active: true, areaCount: 78 }),
    ]);
    await city.refresh();
    expect(city.current().version?.demo).toBe(true);
    // Its households are its homes; coverage is computed in the background and stored with the version.
    await expect.poll(() => city.coverageState().state, { timeout: 20_000 }).toBe('ready');
    expect(city.current().coverage?.grids.length).toBe(58);
    expect(await store.coverage(1)).not.toBeNull();
  });

  it('another node sharing the database follows an activation on its next poll', async () => {
    const { cities, city } = setup();
    const other = new ActiveCity(new CityStore(ctx.db));
    other.start(50);
    try {
      const id = (await cities.save(await geojson(), CLI, 1))!;
      await cities.activate(id, CLI, 2);
      await expect.poll(() => other.current().version?.id, { timeout: 20_000 }).toBe(id);
      const seen: number[] = [];
      other.onChange((s) => seen.push(s.version?.id ?? 0));
      const v2 = (await cities.save(await geojson(), CLI, 3))!;
      await cities.activate(v2, CLI, 4);
      await expect.poll(() => seen.includes(v2), { timeout: 20_000 }).toBe(true);
      expect(other.current().catalog.exists(NEW_CITY.gridA1a)).toBe(true);
      expect(await city.refresh()).toBe(true);
    } finally {
      await other.stop();
    }
  });
});
