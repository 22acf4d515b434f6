import { type Static, Type } from '@sinclair/typebox';
import { AreaCode, Count, Millis, Nullable, okReply, oneOf, SafeCount } from './shapes.js';

/** What the administrator's city page reads (docs/city-import.md): versions, reports, diffs, orphans, import jobs. */

const VersionId = Type.Integer({ minimum: 1 });
const Named = Type.Object({ code: Type.String(), name: Type.String() }, { additionalProperties: false });

/** One problem in an import, Chinese first then English (geo's CityIssue, docs/geo-import.md). */
const CityIssueSchema = Type.Object(
  {
    kind: Type.String(),
    severity: oneOf(['error', 'warning'] as const),
    /** The file it was found in; null for problems of the city as a whole. */
    file: Nullable(Type.String()),
    featureIndex: Nullable(Count),
    code: Type.Optional(Type.String()),
    other: Type.Optional(Type.String()),
    zh: Type.String(),
    en: Type.String(),
    message: Type.String(),
  },
  { additionalProperties: false },
);
/** geo's city report (importCity) with the homes the hub used for coverage. */
export const CityReportSchema = Type.Object(
  {
    ok: Type.Boolean(),
    errors: Count,
    warnings: Count,
    byKind: Type.Record(
      Type.String(),
      Type.Object(
        { count: Count, severity: oneOf(['error', 'warning'] as const), zh: Type.String(), en: Type.String() },
        { additionalProperties: false },
      ),
    ),
    summary: Type.Array(Type.String()),
    /** Areas per level, facilities and road lines. */
    counts: Type.Record(Type.String(), Count),
    issues: Type.Array(CityIssueSchema),
    homes: Count,
  },
  { additionalProperties: false },
);
export type CityReport = Static<typeof CityReportSchema>;

const CitySourceSchema = Type.Object(
  {
    files: Type.Array(
      Type.Object(
        {
          name: Type.String(),
          format: Type.String(),
          bytes: Count,
          crs: Type.String(),
          crsReason: Type.String(),
          layer: Type.Optional(Type.String()),
          encoding: Type.Optional(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
    mapping: Type.Object(
      {
        code: Type.String(),
        name: Type.String(),
        level: Type.Optional(Type.String()),
        parent: Type.Optional(Type.String()),
        fullCover: Type.Optional(Type.String()),
        facilityKind: Type.Optional(Type.String()),
        facilityName: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
    homes: oneOf(['imported', 'sampled', 'none'] as const),
  },
  { additionalProperties: false },
);

const summaryFields = {
  id: VersionId,
  name: Type.String(),
  status: oneOf(['valid', 'failed'] as const),
  demo: Type.Boolean(),
  areaCount: Count,
  createdAt: Millis,
  createdBy: Type.String(),
  active: Type.Boolean(),
};
export const CityVersionSummarySchema = Type.Object(summaryFields, { additionalProperties: false });
export type CityVersionSummary = Static<typeof CityVersionSummarySchema>;
export const CityVersionSchema = Type.Object(
  { ...summaryFields, source: CitySourceSchema, report: CityReportSchema },
  { additionalProperties: false },
);

/** Coverage of the active city, computed in the background after activation. */
export const CityCoverageStateSchema = Type.Object(
  {
    versionId: Nullable(VersionId),
    state: oneOf(['none', 'computing', 'ready', 'failed'] as const),
    progress: Type.Number({ minimum: 0, maximum: 1 }),
    label: Type.String(),
    error: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type CityCoverageState = Static<typeof CityCoverageStateSchema>;

export const CityDiffSchema = Type.Object(
  {
    from: VersionId,
    to: VersionId,
    added: Type.Array(Named),
    removed: Type.Array(Named),
    renamed: Type.Array(
      Type.Object({ code: Type.String(), from: Type.String(), to: Type.String() }, { additionalProperties: false }),
    ),
    reshaped: Type.Array(Named),
  },
  { additionalProperties: false },
);
export type CityDiff = Static<typeof CityDiffSchema>;

/**
 * Rows whose area a version lacks: users, gateways and codes listed; alerts counted; register
 * rows one entry (`*`) for all vanished grids, their total suppressed below 5 (city-orphans.ts).
 */
export const OrphanSchema = Type.Object(
  {
    kind: oneOf(['user', 'alert', 'resident', 'enrollment-code', 'gateway'] as const),
    code: Type.Union([AreaCode, Type.Literal('*')]),
    count: SafeCount,
    ids: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type Orphan = Static<typeof OrphanSchema>;

export const CityImportJobSchema = Type.Object(
  {
    id: Type.String(),
    state: oneOf(['running', 'done', 'failed'] as const),
    progress: Nullable(
      Type.Object(
        {
          stage: oneOf(['read', 'areas', 'features', 'validate', 'homes'] as const),
          /** geo's own stage (read, parse, map, codes, shapes, families, overlaps, facilities, roads) or `homes`. */
          step: Type.String(),
          done: Count,
          total: Count,
          label: Type.String(),
        },
        { additionalProperties: false },
      ),
    ),
    dryRun: Type.Boolean(),
    report: Type.Optional(CityReportSchema),
    versionId: Type.Optional(Nullable(VersionId)),
    diff: Type.Optional(Nullable(CityDiffSchema)),
    error: Type.Optional(Type.String()),
    startedAt: Millis,
    by: Type.String(),
  },
  { additionalProperties: false },
);
export type CityImportJob = Static<typeof CityImportJobSchema>;

export const CityVersionsReplySchema = okReply({
  active: Nullable(VersionId),
  coverage: CityCoverageStateSchema,
  versions: Type.Array(CityVersionSummarySchema),
});
export const CityVersionReplySchema = okReply({ version: CityVersionSchema });
export const CityDiffReplySchema = okReply({ diff: Nullable(CityDiffSchema) });
export const CityOrphansReplySchema = okReply({ orphans: Type.Array(OrphanSchema) });
export const CityImportJobReplySchema = okReply({ job: CityImportJobSchema });
