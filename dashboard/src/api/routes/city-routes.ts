import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { CityError } from '../../city/city-service.js';
import { ImportJobs } from '../../city/import-jobs.js';
import { ApiError, notFound } from '../api-error.js';
import { raw, type Route } from '../route.js';
import type { ApiDeps } from './deps.js';

/** A city in one upload: a zipped Shapefile of 15,000 grids is tens of megabytes. */
const UPLOAD_MAX_BYTES = 200 * 1024 * 1024;
const Code = Type.String({ pattern: '^[0-9]{6,15}$' });
const Id = (params: Record<string, string>) => {
  const n = Number(params.id);
  if (!Number.isInteger(n) || n < 1) throw notFound(`城市版本 ${params.id}`);
  return n;
};

/**
 * The administrator's city page (docs/city-import.md): upload files, import
 * them in the background with progress, read the report and the diff against
 * the active city, see what would lose its area, activate. Every import and
 * activation is audited by the city service.
 */
export function cityRoutes(d: ApiDeps): Route[] {
  let jobs: ImportJobs | null = null;
  const jobsOf = () => (jobs ??= new ImportJobs(d.cities, join(d.tmpDir, 'city-uploads')));
  const actor = (p: { user: { id: string; role: string } }) => ({ userId: p.user.id, role: p.user.role as 'admin' });
  return [
    {
      method: 'GET',
      path: '/api/city/versions',
      tag: 'city',
      access: 'manage_city',
      summary:
        'Every city version (name, status, demo, areas, who imported it), the active one, and its coverage progress',
      handler: async () => ({
        ok: true,
        active: d.city.current().version?.id ?? null,
        coverage: d.city.coverageState(),
        versions: await d.cities.store.list(),
      }),
    },
    {
      method: 'GET',
      path: '/api/city/versions/:id',
      tag: 'city',
      access: 'manage_city',
      summary: "A version's source files, mapping and validation report (中文 / English)",
      handler: async ({ params }) => {
        const v = await d.cities.store.get(Id(params));
        if (!v) throw notFound(`城市版本 ${params.id}`);
        return { ok: true, version: v };
      },
    },
    {
      method: 'GET',
      path: '/api/city/versions/:id/diff',
      tag: 'city',
      access: 'manage_city',
      summary: 'Areas added, removed, renamed and reshaped from version `from` (default the active one) to this one',
      query: Type.Object({ from: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
      handler: async ({ params, query }) => {
        const from = (query.from as number | undefined) ?? (await d.cities.store.activeId());
        if (from === null) return { ok: true, diff: null };
        try {
          return { ok: true, diff: await d.cities.diff(from, Id(params)) };
        } catch (e) {
          if (e instanceof CityError) throw notFound(`城市版本 ${from} 或 ${params.id}`);
          throw e;
        }
      },
    },
    {
      method: 'GET',
      path: '/api/city/versions/:id/orphans',
      tag: 'city',
      access: 'manage_city',
      summary:
        'Users, open alerts, register rows (counted), enrollment codes and gateways whose area this version lacks',
      handler: async ({ params, now }) => ({ ok: true, orphans: await d.cities.orphans(Id(params), now) }),
    },
    {
      method: 'POST',
      path: '/api/city/versions/:id/activate',
      tag: 'city',
      access: 'manage_city',
      audits: ['city:activate'],
      summary:
        'Make this version the active city on every node; refused (409 with the orphans) while rows would lose their area, unless reassigned or accepted',
      body: Type.Object(
        {
          reassign: Type.Optional(Type.Record(Type.String({ pattern: '^[0-9]{6,15}$' }), Code)),
          acceptOrphans: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      handler: async ({ principal, params, body, now }) => {
        const b = body as { reassign?: Record<string, string>; acceptOrphans?: boolean };
        try {
          const r = await d.cities.activate(Id(params), actor(principal), now, {
            reassign: new Map(Object.entries(b.reassign ?? {})),
            acceptOrphans: b.acceptOrphans ?? false,
          });
          // This node at once; the others within their poll interval.
          await d.city.refresh();
          return { ok: true, ...r };
        } catch (e) {
          if (!(e instanceof CityError)) throw e;
          const status = e.code === 'NOT_FOUND' ? 404 : e.code === 'BAD_REASSIGN' ? 400 : 409;
          return raw({
            status,
            json: { ok: false, error: { code: `CITY_${e.code}` as const, message: e.message }, orphans: e.orphans },
          });
        }
      },
    },
    {
      method: 'POST',
      path: '/api/city/uploads',
      tag: 'city',
      access: 'manage_city',
      summary:
        'Upload one file (GeoJSON, KML or a zipped Shapefile; its name in X-Filename) for a later import; kept an hour at most',
      maxBodyBytes: UPLOAD_MAX_BYTES,
      handler: ({ req, body, now }) => {
        const name = decodeURIComponent(String(req.headers['x-filename'] ?? ''))
          .replace(/[^\p{L}\p{N}._-]/gu, '_')
          .slice(0, 120);
        if (!/\.(geojson|json|kml|zip)$/i.test(name))
          throw new ApiError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            '请上传 .geojson/.json、.kml 或 Shapefile 的 .zip，并在 X-Filename 中给出文件名 (send a .geojson, .kml or .zip, named in X-Filename)',
          );
        return { ok: true, upload: jobsOf().upload(name, body as Buffer, now), name };
      },
    },
    {
      method: 'POST',
      path: '/api/city/imports',
      tag: 'city',
      access: 'manage_city',
      audits: ['city:import'],
      summary:
        'Import uploaded files in the background (validate; store as a version unless dryRun); poll the job for progress, report and diff',
      body: Type.Object(
        {
          uploads: Type.Array(Type.String({ maxLength: 26 }), { minItems: 1, maxItems: 20 }),
          name: Type.String({ minLength: 1, maxLength: 100 }),
          mapping: Type.Optional(
            Type.Object(
              {
                code: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
                name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
                level: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
                parent: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
                facilityKind: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
                facilityName: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
              },
              { additionalProperties: false },
            ),
          ),
          crs: Type.Optional(Type.Union([Type.Literal('WGS84'), Type.Literal('GCJ02'), Type.Literal('BD09')])),
          level: Type.Optional(
            Type.Union(['city', 'district', 'street', 'community', 'grid'].map((l) => Type.Literal(l))),
          ),
          encoding: Type.Optional(Type.String({ pattern: '^[a-zA-Z0-9-]{2,20}$' })),
          dryRun: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      handler: ({ principal, body, now }) => {
        const b = body as { uploads: string[]; dryRun?: boolean } & Record<string, never>;
        const { uploads, dryRun, ...opts } = b;
        try {
          const job = jobsOf().start(uploads, opts as never, dryRun ?? false, actor(principal), now);
          return { ok: true, job: job.id };
        } catch (e) {
          throw new ApiError(400, 'UNKNOWN_UPLOAD', `${(e as Error).message}（请重新上传）`);
        }
      },
    },
    {
      method: 'GET',
      path: '/api/city/imports/:id',
      tag: 'city',
      access: 'manage_city',
      summary: "An import's state, progress (stage, done, total), and when done its report, version and diff",
      handler: ({ params }) => {
        const job = jobsOf().get(params.id!);
        if (!job) throw notFound(`导入任务 ${params.id}`);
        return { ok: true, job };
      },
    },
  ];
}
