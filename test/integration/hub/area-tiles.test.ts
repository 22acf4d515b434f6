import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { tileRange } from '@linli/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCityDraft } from '../../../dashboard/src/city/demo-city-source.js';
import { AREAS, startTestHub } from '../../helpers/hub-fixture.js';
import { untilAsync } from '../../helpers/processes.js';

/**
 * The area polygons as vector tiles over real HTTP: the tiles hold the active
 * city's areas, and each viewer only the areas /api/areas gives them.
 */
describe('hub: area vector tiles, scoped per viewer', () => {
  let h: Awaited<ReturnType<typeof startTestHub>>;
  let leaderA: string;
  let cityOp: string;
  let all: { code: string; level: string; ring: [number, number][] }[];

  beforeAll(async () => {
    h = await startTestHub();
    leaderA = (await h.user('leader.a', 'street_leader', AREAS.streetA)).token;
    cityOp = (await h.user('city.op', 'city_operator', AREAS.city)).token;
    const areas = await h.api('GET', '/api/areas', { token: cityOp });
    all = areas.body.features.map(
      (f: { properties: { code: string; level: string }; geometry: { coordinates: [number, number][][] } }) => ({
        code: f.properties.code,
        level: f.properties.level,
        ring: f.geometry.coordinates[0],
      }),
    );
  }, 60_000);
  afterAll(() => h.stop());

  /** What /healthz says of the area tiles (no session needed: a load balancer's probe reads it). */
  const tilesHealth = async () =>
    ((await (await fetch(`${h.url}/healthz`)).json()) as { areaTiles: { version: number | null; state: string } })
      .areaTiles;

  async function tileJson(token: string) {
    const r = await h.api('GET', '/api/area-tiles.json', { token });
    expect(r.status).toBe(200);
    return r.body as { version: number; tiles: string[]; maxzoom: number };
  }

  /** Every code in the tiles at zoom z over the city, as `token` receives them. */
  async function codesAt(token: string, z: number, query = ''): Promise<string[]> {
    const tj = await tileJson(token);
    const pts = all.flatMap((a) => a.ring);
    const r = tileRange(z, [
      Math.min(...pts.map((p) => p[0])),
      Math.min(...pts.map((p) => p[1])),
      Math.max(...pts.map((p) => p[0])),
      Math.max(...pts.map((p) => p[1])),
    ]);
    const codes = new Set<string>();
    for (let x = r.x0; x <= r.x1; x++)
      for (let y = r.y0; y <= r.y1; y++) {
        const url = tj.tiles[0]!.replace('{z}', String(z)).replace('{x}', String(x)).replace('{y}', String(y)) + query;
        const res = await fetch(h.url + url, { headers: { authorization: `Bearer ${token}` } });
        expect([200, 204]).toContain(res.status);
        expect(res.headers.get('cache-control')).toMatch(/private/);
        if (res.status === 204) continue;
        expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
        const layer = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer()))).layers.areas!;
        for (let i = 0; i < layer.length; i++) codes.add(String(layer.feature(i).properties.code));
      }
    return [...codes].sort();
  }

  it('cuts the active city at start, before any map asks for a tile, and says so on /healthz', async () => {
    // No tile has been asked for yet in this file: the cut comes from the hub's start alone.
    const version = (await tileJson(cityOp)).version;
    await untilAsync(async () => (await tilesHealth()).state === 'cut', 'the area tiles cut at start');
    expect(await tilesHealth()).toEqual({ version, state: 'cut' });
  });

  it('gives the city operator every district, street, community and grid of the active city', async () => {
    const want = all.filter((a) => a.level !== 'city').map((a) => a.code);
    expect(want.length).toBeGreaterThan(10);
    expect(await codesAt(cityOp, 14)).toEqual(want.sort());
  });

  it('gives a street leader their street’s areas and the chain above it, nothing of the next street', async () => {
    const codes = await codesAt(leaderA, 14);
    expect(codes).toContain(AREAS.gridA1);
    expect(codes.every((c) => c.startsWith(AREAS.streetA) || AREAS.streetA.startsWith(c))).toBe(true);
    expect(codes.some((c) => c.startsWith(AREAS.streetB))).toBe(false);
    // The same as /api/areas gives them, minus the city outline (not tiled).
    const areas = await h.api('GET', '/api/areas', { token: leaderA });
    const rest = areas.body.features
      .filter((f: { properties: { level: string } }) => f.properties.level !== 'city')
      .map((f: { properties: { code: string } }) => f.properties.code);
    expect(codes).toEqual(rest.sort());
  });

  it('sends one level when asked (?level=grid, what the cockpit draws), still cut to the scope', async () => {
    const grids = await codesAt(leaderA, 14, '?level=grid');
    const want = all.filter((a) => a.level === 'grid' && a.code.startsWith(AREAS.streetA)).map((a) => a.code);
    expect(want.length).toBeGreaterThan(1);
    expect(grids).toEqual(want.sort());
    const tj = await tileJson(leaderA);
    const bad = await h.api('GET', `/api/area-tiles/${tj.version}/14/0/0?level=household`, { token: leaderA });
    expect(bad.status).toBe(400);
  });

  it('refuses without a session, and refuses a malformed tile address', async () => {
    const tj = await tileJson(cityOp);
    const anon = await fetch(h.url + `/api/area-tiles/${tj.version}/14/0/0`);
    expect(anon.status).toBe(401);
    const bad = await h.api('GET', `/api/area-tiles/${tj.version}/3/9/0`, { token: cityOp });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('BAD_TILE');
  });

  it('answers 410 for the tiles of a version no longer active, and serves the new one', async () => {
    const before = await tileJson(cityOp);
    const { cities, city } = h.hub.services;
    const id = (await cities.save(await demoCityDraft(), { userId: 'test', role: 'admin' }, Date.now()))!;
    await cities.activate(id, { userId: 'test', role: 'admin' }, Date.now());
    await city.refresh();
    const after = await tileJson(cityOp);
    expect(after.version).toBe(id);
    expect(after.version).not.toBe(before.version);
    // The new version is cut on activation, not on the first tile asked for.
    await untilAsync(async () => (await tilesHealth()).state === 'cut', 'the new city cut on activation');
    expect((await tilesHealth()).version).toBe(id);
    const stale = await h.api('GET', `/api/area-tiles/${before.version}/14/0/0`, { token: cityOp });
    expect(stale.status).toBe(410);
    expect(stale.body.error.code).toBe('CITY_CHANGED');
    expect(await codesAt(leaderA, 13)).toContain(AREAS.gridA1);
  });
});
