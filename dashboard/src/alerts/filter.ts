import { compile, EVENT_KINDS, SEVERITIES } from '@linli/contract';
import { type Static, Type } from '@sinclair/typebox';
import type { SqlValue } from '../store/sql/sql-db.js';
import { ALERT_STATES } from './types.js';

const oneOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));

/** What `list` accepts besides the scope; the REST API validates query parameters against the same schema. */
export const AlertFilterSchema = Type.Object(
  {
    states: Type.Optional(Type.Array(oneOf(ALERT_STATES), { minItems: 1, maxItems: ALERT_STATES.length })),
    severities: Type.Optional(Type.Array(oneOf(SEVERITIES), { minItems: 1, maxItems: SEVERITIES.length })),
    kinds: Type.Optional(Type.Array(oneOf(EVENT_KINDS), { minItems: 1, maxItems: EVENT_KINDS.length })),
    /** Raised at or after (hub clock, ms). */
    from: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Raised before (hub clock, ms). */
    to: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Only alerts that have (true) or have not (false) been escalated. */
    escalated: Type.Optional(Type.Boolean()),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  },
  { additionalProperties: false },
);
export type AlertFilter = Static<typeof AlertFilterSchema>;
export const checkFilter = compile(AlertFilterSchema, 'alert filter');

/** SQL conditions for a validated filter. Values go in as parameters, never into the text. */
export function filterSql(f: AlertFilter): { where: string[]; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const anyOf = (column: string, values: readonly string[] | undefined) => {
    if (!values) return;
    where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  anyOf('state', f.states);
  anyOf('severity', f.severities);
  anyOf('kind', f.kinds);
  const bound = (sql: string, value: number | undefined) => {
    if (value === undefined) return;
    where.push(sql);
    params.push(value);
  };
  bound('raised_at >= ?', f.from);
  bound('raised_at < ?', f.to);
  if (f.escalated !== undefined) where.push(f.escalated ? 'level > 0' : 'level = 0');
  return { where, params };
}
