import { can, compile, GET_RAW_REPLIES, GET_REPLIES, type LinliEvent, type Permission, ROLES } from '@linli/contract';
import type { TSchema } from '@sinclair/typebox';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREAS, eventAt, startTestHub } from '../../../test/helpers/hub-fixture.js';
import { seedCityVersion, seedField } from './seed-field-city.js';

type TestHub = Awaited<ReturnType<typeof startTestHub>>;

/**
 * Every GET route the hub's router serves, called on a hub with data in every
 * table, answers what its contract schema (contract/src/rest/replies.ts)
 * describes: no field missing, none extra, no wrong type. The routes are
 * enumerated from the router's own table (through the OpenAPI document it
 * derives), so a new GET route without a schema fails here.
 */
describe('every GET route answers what its contract schema describes', () => {
  let h: TestHub;
  const tokens = new Map<string, string>();
  const params: Record<string, string> = {};
  /** Values for `:name` parts where one name means different things on different routes (`:id`). */
  const pathParams: Record<string, string> = {};

  beforeAll(async () => {
    h = await startTestHub({ demoRegister: true });
    // One user per role, at the city: each route is called by a role that may call it (admin first).
    for (const role of ROLES) tokens.set(role, (await h.user(`u-${role.replace(/_/g, '-')}`, role, AREAS.city)).token);
    const op = tokens.get('city_operator')!;

    // An alert with a history (raised, dispatched, acknowledged), from a real gateway batch.
    const s = await h.gatewaySocket('gw-replies', await h.gateway('gw-replies', AREAS.communityA));
    const smoke = eventAt('gw-replies', AREAS.gridA1, 'smoke.alarm', { seq: 1 } as Partial<LinliEvent>);
    expect(await s.timeout(30_000).emitWithAck('events', { events: [smoke] })).toMatchObject({ ok: true });
    const bytes = await sharp({ create: { width: 16, height: 9, channels: 3, background: '#808080' } })
      .webp()
      .toBuffer();
    const media = {
      eventId: smoke.id,
      eventSeq: 1,
      cameraId: 'cam-a2',
      takenAt: Date.now(),
      contentType: 'image/webp',
    };
    expect(await s.timeout(30_000).emitWithAck('media', { ...media, bytes })).toEqual({ ok: true });
    params.eventId = smoke.id;
    const alerts = await h.api('GET', '/api/alerts', { token: op });
    params.id = alerts.body.alerts[0].id as string;
    const assignee = { type: 'team', id: 'grid-a1' };
    await h.api('POST', `/api/alerts/${params.id}/dispatch`, { token: op, body: { assignee } });
    await h.api('POST', `/api/alerts/${params.id}/acknowledge`, { token: op, body: { note: '已到场' } });

    // A command, a pending enrollment code, a maintenance window, an audited record read.
    const cmd = await h.api('POST', '/api/commands', {
      token: op,
      body: { gatewayId: 'gw-replies', deviceId: 'gate-01', name: 'gate.open', args: {} },
    });
    expect(cmd.status, JSON.stringify(cmd.body)).toBe(200);
    params.commandId = cmd.body.command.command.id as string;
    const code = await h.api('POST', '/api/enrollment-codes', {
      token: tokens.get('admin')!,
      body: { gatewayId: 'gw-new', areaCode: AREAS.communityB },
    });
    expect(code.status, JSON.stringify(code.body)).toBe(200);
    await h.hub.alerts.windows.create(
      { areaPrefix: AREAS.communityA, startsAt: Date.now(), endsAt: Date.now() + 3_600_000, reason: '设备检修' },
      'u-city-operator',
      [AREAS.city.slice(0, 4)],
    );
    const records = await h.api('GET', '/api/population/records?limit=1', { token: tokens.get('judicial')! });
    params.recordId = records.body.records[0].id as string;
    // An unmasking grant in force, and a refused unmasked read (no step-up) for the auditors' report.
    const judicial = (await h.api('GET', '/api/me', { token: tokens.get('judicial')! })).body.user.id as string;
    await h.hub.services.unmask.grants.grant(
      { userId: 'system', role: 'system', areaCode: null },
      judicial,
      Date.now() + 3_600_000,
      Date.now(),
    );
    const refused = await h.api('POST', `/api/population/records/${params.recordId}/unmask`, {
      token: tokens.get('judicial')!,
      body: { reason: 'welfare_visit' },
    });
    expect(refused.status).not.toBe(200);

    // Field work (a route, a patrol with its track, a matter with a photo, dispatched as a task) and a second city version.
    params.alertId = params.id;
    const field = await seedField(h, tokens.get('community_worker')!, op);
    const city = await seedCityVersion(h, tokens.get('admin')!);
    Object.assign(pathParams, {
      '/api/commands/:id': params.commandId!,
      '/api/population/records/:id': params.recordId!,
      '/api/field/photos/:id': field.photoId,
      '/api/city/versions/:id': String(city.versionId),
      '/api/city/versions/:id/diff': String(city.versionId),
      '/api/city/versions/:id/orphans': String(city.versionId),
      '/api/city/imports/:id': city.jobId,
    });
    // The tile (zoom 12) under a corner of the first grid the admin sees: it holds areas, so it is not a 204.
    const tiles = await h.api('GET', '/api/area-tiles.json', { token: tokens.get('admin')! });
    const areas = await h.api('GET', '/api/areas', { token: tokens.get('admin')! });
    const grid = (
      areas.body.features as { properties: { level: string }; geometry: { coordinates: number[][][] } }[]
    ).find((f) => f.properties.level === 'grid')!;
    const [lng, lat] = grid.geometry.coordinates[0]![0]!;
    const n = 2 ** 12;
    const x = Math.floor(((lng! + 180) / 360) * n);
    const rad = (lat! * Math.PI) / 180;
    const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
    Object.assign(params, { version: String(tiles.body.version), z: '12', x: String(x), y: String(y) });
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
  });

  async function getRoutes(): Promise<{ path: string; access: string }[]> {
    const doc = await h.api('GET', '/api/openapi.json');
    const paths = doc.body.paths as Record<string, Record<string, { security?: unknown[]; 'x-permission'?: string }>>;
    return Object.entries(paths)
      .filter(([, ops]) => ops.get)
      .map(([path, ops]) => ({
        path: path.replace(/\{([a-zA-Z]+)\}/g, ':$1'),
        access: ops.get!.security ? 'public' : (ops.get!['x-permission'] ?? 'session'),
      }));
  }

  it('has a schema in the contract for every GET route, and no schema for a route that does not exist', async () => {
    const routes = await getRoutes();
    expect(routes.length).toBeGreaterThan(20);
    const missing = routes.filter((r) => !(r.path in GET_REPLIES) && !(r.path in GET_RAW_REPLIES)).map((r) => r.path);
    expect(missing).toEqual([]);
    const served = new Set(routes.map((r) => r.path));
    const stale = [...Object.keys(GET_REPLIES), ...Object.keys(GET_RAW_REPLIES)].filter((p) => !served.has(p));
    expect(stale).toEqual([]);
  });

  it('answers each GET route with a reply its schema accepts', async () => {
    const now = Date.now();
    const query: Record<string, string> = {
      '/api/heatmap': `?from=${now - 86_400_000}&to=${now + 60_000}`,
      '/api/event-count': `?from=${now - 86_400_000}&to=${now + 60_000}`,
      '/api/review': `?from=${now - 86_400_000}&to=${now + 60_000}`,
      '/api/review/series': `?from=${now - 86_400_000}&to=${now + 60_000}`,
      '/api/alert-sources': `?ids=${params.id}`,
    };
    const problems: string[] = [];
    let checked = 0;
    for (const r of await getRoutes()) {
      const role = r.access === 'public' || r.access === 'session' ? 'admin' : whoMay(r.access as Permission);
      const path = r.path.replace(/:([a-zA-Z]+)/g, (_m, k: string) => pathParams[r.path] ?? params[k]!);
      const reply = await h.api('GET', path + (query[r.path] ?? ''), { token: tokens.get(role)! });
      if (reply.status !== 200) {
        problems.push(`${r.path} as ${role}: HTTP ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
        continue;
      }
      checked++;
      const rawType = GET_RAW_REPLIES[r.path];
      if (rawType) {
        if (reply.headers.get('content-type') !== rawType)
          problems.push(`${r.path}: content-type ${reply.headers.get('content-type')}, expected ${rawType}`);
        continue;
      }
      const schema = (GET_REPLIES as Record<string, TSchema>)[r.path]!;
      const result = compile(schema, `GET ${r.path} reply`).check(reply.body);
      if (!result.ok) problems.push(`${r.path}: ${result.issues.map((i) => `${i.field} ${i.message}`).join('; ')}`);
      else if (!hasData(reply.body)) problems.push(`${r.path}: the reply is empty, so the check proved little`);
    }
    expect(problems).toEqual([]);
    expect(checked).toBe((await getRoutes()).length);
  });

  it('fails the check when a reply carries a field its schema does not describe', () => {
    const v = compile(GET_REPLIES['/api/event-count'], 'event count');
    expect(v.check({ ok: true, from: 1, to: 2, events: 3 }).ok).toBe(true);
    expect(v.check({ ok: true, from: 1, to: 2, events: 3, extra: 1 }).ok).toBe(false);
  });
});

/** The first role (in ROLES order, admin first) that holds a permission. */
function whoMay(p: Permission): string {
  const role = ROLES.find((r) => can(r, p));
  if (!role) throw new Error(`no role may ${p}`);
  return role;
}

/** At least one list in the reply has an element: the seeding reached this route. */
function hasData(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const values = Object.values(body as Record<string, unknown>);
  const lists = values.filter(Array.isArray);
  return lists.length === 0 || lists.some((l) => l.length > 0);
}
