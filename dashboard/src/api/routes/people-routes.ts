import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { ulid } from 'ulidx';
import { CATEGORIES } from '../../people/categories.js';
import { importRegisterFile } from '../../people/import/importer.js';
import { ApiError } from '../api-error.js';
import type { Route } from '../route.js';
import type { ApiDeps } from './deps.js';

const Category = Type.Union(CATEGORIES.map((c) => Type.Literal(c)));
const IMPORT_MAX_BYTES = 10 * 1024 * 1024;
const TYPES: Record<string, '.csv' | '.xlsx'> = {
  'text/csv': '.csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': '.xlsx',
};

/**
 * The key-population register. Counts leave suppressed; records leave masked
 * and audited, only to roles that need them, only inside their area — the
 * register itself enforces this, the routes add nothing it could forget.
 */
export function peopleRoutes(d: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/population/counts',
      tag: 'population',
      access: 'view',
      summary:
        'Per-grid counts by category inside your area; counts under 5 are shown as "<5" (with complementary suppression)',
      query: Type.Object({ category: Type.Optional(Category) }, { additionalProperties: false }),
      handler: async ({ principal, query }) => ({
        ok: true,
        grids: await d.people.countsByGrid(principal.viewer, query.category as never),
      }),
    },
    {
      method: 'GET',
      path: '/api/population/records',
      tag: 'population',
      access: 'personal_read',
      audits: ['people.list'],
      summary: 'Individual records inside your area, masked; every record returned is audited',
      query: Type.Object(
        {
          category: Type.Optional(Category),
          areaCode: Type.Optional(Type.String({ pattern: '^[0-9]{6,15}$' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
          // Accepted only to be refused by name: lists are always masked (BULK_UNMASK_REFUSED, audited).
          unmasked: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
        },
        { additionalProperties: false },
      ),
      handler: async ({ principal, query, now }) => {
        const { unmasked, ...filter } = query as { unmasked?: string; areaCode?: string };
        if (unmasked === 'true')
          await d.people.refuseBulkUnmask(principal.viewer, filter.areaCode ?? principal.user.areaCode, now);
        return { ok: true, records: await d.people.listRecords(principal.viewer, filter as never) };
      },
    },
    {
      method: 'GET',
      path: '/api/population/records/:id',
      tag: 'population',
      access: 'personal_read',
      summary: 'One record, masked; always audited (in full only through POST …/unmask)',
      audits: ['people.read'],
      // No parameters: a client still asking `?unmasked=true` is told so (INVALID_QUERY), not silently masked.
      query: Type.Object({}, { additionalProperties: false }),
      handler: async ({ principal, params }) => ({
        ok: true,
        record: await d.people.getRecord(principal.viewer, params.id!),
      }),
    },
    {
      method: 'POST',
      path: '/api/population/import',
      tag: 'population',
      access: 'personal_write',
      audits: ['people.import'],
      summary:
        'Import a register file (CSV or XLSX body, template in dashboard/templates); all or nothing, with a per-row report naming row and column',
      maxBodyBytes: IMPORT_MAX_BYTES,
      handler: async ({ principal, req, body }) => {
        const ext = TYPES[(req.headers['content-type'] ?? '').split(';')[0]!.trim()];
        if (!ext)
          throw new ApiError(
            415,
            'UNSUPPORTED_MEDIA_TYPE',
            '请上传 CSV (text/csv) 或 XLSX 文件 (send text/csv or an .xlsx file)',
          );
        const name = String(req.headers['x-filename'] ?? `upload${ext}`)
          .replace(/[^\p{L}\p{N}._-]/gu, '_')
          .slice(0, 100);
        mkdirSync(d.tmpDir, { recursive: true, mode: 0o700 });
        const file = join(d.tmpDir, `${ulid()}${ext}`);
        writeFileSync(file, body as Buffer, { mode: 0o600 });
        try {
          const report = await importRegisterFile(d.people, principal.viewer, file, { displayName: name });
          return { ok: report.rejected.length === 0, report };
        } finally {
          rmSync(file, { force: true });
        }
      },
    },
    {
      method: 'GET',
      path: '/api/audit',
      tag: 'audit',
      access: 'audit_read',
      audits: ['audit.list'],
      summary: 'The audit log inside your area (no personal data), newest last; keyset paging with afterSeq',
      query: Type.Object(
        {
          userId: Type.Optional(Type.String({ maxLength: 64 })),
          action: Type.Optional(Type.String({ maxLength: 64 })),
          targetType: Type.Optional(Type.String({ maxLength: 32 })),
          targetId: Type.Optional(Type.String({ maxLength: 64 })),
          outcome: Type.Optional(Type.Union([Type.Literal('ok'), Type.Literal('denied'), Type.Literal('error')])),
          from: Type.Optional(Type.Integer({ minimum: 0 })),
          to: Type.Optional(Type.Integer({ minimum: 0 })),
          afterSeq: Type.Optional(Type.Integer({ minimum: 0 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        },
        { additionalProperties: false },
      ),
      handler: async ({ principal, query }) => ({ ok: true, ...(await d.auditLog.list(principal.viewer, query)) }),
    },
    {
      method: 'GET',
      path: '/api/audit/verify',
      tag: 'audit',
      access: 'audit_read',
      summary: 'Walk the hash chain and report the first broken entry, if any',
      handler: async () => ({ ok: true, result: await d.auditLog.verify() }),
    },
  ];
}
