import { type Static, Type } from '@sinclair/typebox';
import { AreaCode, Count, Millis, Nullable, okReply, Ulid } from './shapes.js';

/** The cockpit's alert titles and the review's pictures of time; cut to the caller's area by the hub. */

/** What raised an alert: the local rule's name (rule alerts) and the source device's declared type. */
export const AlertSourceSchema = Type.Object(
  { id: Ulid, rule: Nullable(Type.String()), deviceType: Nullable(Type.String()) },
  { additionalProperties: false },
);
export type AlertSource = Static<typeof AlertSourceSchema>;
export const AlertSourcesReplySchema = okReply({ sources: Type.Array(AlertSourceSchema) });

/** Counts per bucket of one period, bucket i covering [from + i·bucketMs, from + (i+1)·bucketMs). */
const PeriodSeriesSchema = Type.Object(
  { from: Millis, to: Millis, events: Type.Array(Count), alerts: Type.Array(Count) },
  { additionalProperties: false },
);
export type PeriodSeries = Static<typeof PeriodSeriesSchema>;
const SlaLine = Type.Object({ ackMs: Count, resolveMs: Count }, { additionalProperties: false });
export const ReviewSeriesReplySchema = okReply({
  bucketMs: Type.Integer({ minimum: 1 }),
  current: PeriodSeriesSchema,
  previous: PeriodSeriesSchema,
  grids: Type.Array(
    Type.Object(
      { grid: AreaCode, events: Type.Array(Count), alerts: Type.Array(Count) },
      { additionalProperties: false },
    ),
  ),
  /** Raise → first acknowledge and raise → first resolve of the period's alerts, ascending. */
  response: Type.Object(
    { ackMs: Type.Array(Type.Integer()), resolveMs: Type.Array(Type.Integer()) },
    { additionalProperties: false },
  ),
  sla: Type.Object({ default: SlaLine, critical: SlaLine }, { additionalProperties: false }),
});
export type ReviewSeriesReply = Static<typeof ReviewSeriesReplySchema>;
