import { Type } from '@sinclair/typebox';
import { AreaCode, Count, CountRange, Millis, Nullable, okReply, SafeCount } from './shapes.js';

/** Replies about people and about who read what: masked, suppressed and audited by the hub (docs/hub.md). */

/** Per grid, per visible category: counts from 5 up as themselves, "<5" below; totals only as a range. */
export const PopulationCountsReplySchema = okReply({
  grids: Type.Array(
    Type.Object(
      {
        gridCode: AreaCode,
        gridName: Type.String(),
        cells: Type.Record(Type.String(), SafeCount),
        total: CountRange,
      },
      { additionalProperties: false },
    ),
  ),
});

/** A register record as it leaves the hub: masked unless `masked` is false (only through POST …/unmask). */
export const ResidentRecordSchema = Type.Object(
  {
    id: Type.String(),
    category: Type.String(),
    categoryZh: Type.String(),
    gridCode: AreaCode,
    name: Type.String(),
    idNumber: Type.String(),
    phone: Nullable(Type.String()),
    address: Nullable(Type.String()),
    masked: Type.Boolean(),
  },
  { additionalProperties: false },
);
export const ResidentRecordsReplySchema = okReply({ records: Type.Array(ResidentRecordSchema) });
export const ResidentRecordReplySchema = okReply({ record: ResidentRecordSchema });

const Outcome = Type.Union([Type.Literal('ok'), Type.Literal('denied'), Type.Literal('error')]);
export const AuditEntrySchema = Type.Object(
  {
    seq: Type.Integer({ minimum: 1 }),
    time: Millis,
    userId: Type.String(),
    role: Type.String(),
    action: Type.String(),
    target: Type.Object({ type: Type.String(), id: Type.String() }, { additionalProperties: false }),
    outcome: Outcome,
    areaCode: Nullable(Type.String()),
    /** Values only, never personal data. */
    detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()])),
    prevHash: Type.String(),
    hash: Type.String(),
  },
  { additionalProperties: false },
);
export const AuditPageReplySchema = okReply({
  entries: Type.Array(AuditEntrySchema),
  /** Pass as `afterSeq` for the next page; null when this was the last one. */
  nextAfterSeq: Nullable(Type.Integer({ minimum: 0 })),
});
export const AuditVerifyReplySchema = okReply({
  result: Type.Union([
    Type.Object({ ok: Type.Literal(true), entries: Count, headHash: Type.String() }, { additionalProperties: false }),
    Type.Object(
      { ok: Type.Literal(false), entries: Count, firstBrokenSeq: Type.Integer(), reason: Type.String() },
      { additionalProperties: false },
    ),
  ]),
});

export const UnmaskGrantsReplySchema = okReply({
  grants: Type.Array(
    Type.Object(
      {
        id: Type.String(),
        userId: Type.String(),
        grantedBy: Type.String(),
        grantedAt: Millis,
        expiresAt: Millis,
        revokedAt: Nullable(Millis),
        revokedBy: Nullable(Type.String()),
        username: Type.String(),
        role: Type.String(),
      },
      { additionalProperties: false },
    ),
  ),
});

export const UnmaskedReportReplySchema = okReply({
  entries: Type.Array(
    Type.Object(
      {
        seq: Type.Integer({ minimum: 1 }),
        time: Millis,
        userId: Type.String(),
        role: Type.String(),
        residentId: Type.String(),
        areaCode: Nullable(Type.String()),
        outcome: Outcome,
        reason: Nullable(Type.String()),
        refused: Nullable(Type.String()),
      },
      { additionalProperties: false },
    ),
  ),
  byUser: Type.Array(
    Type.Object(
      {
        userId: Type.String(),
        username: Nullable(Type.String()),
        displayName: Nullable(Type.String()),
        reads: Count,
        refused: Count,
      },
      { additionalProperties: false },
    ),
  ),
  truncated: Type.Boolean(),
});
