import { scopePrefix } from '@linli/contract';
import type { SqlValue } from '../../store/sql/sql-db.js';

/**
 * The grid codes inside a scope, as SQL both engines run the same way and
 * answer from the (grid_id, received_at, …) index: `grid_id LIKE 'p%'` (which
 * PostgreSQL serves from its text_pattern_ops index) and the range
 * [p, p with its last digit raised) (which SQLite seeks; for codes of digits
 * any collation orders it the same). Either alone selects exactly the codes
 * starting with p; each engine uses the one its index can.
 */
export function scopeWhere(
  col: string,
  areaCode: string,
  dialect?: 'sqlite' | 'postgres',
): { sql: string; params: SqlValue[] } {
  const p = scopePrefix(areaCode);
  const i = p.search(/[0-8]9*$/);
  if (i < 0) return { sql: `${col} LIKE ?`, params: [`${p}%`] };
  const hi = p.slice(0, i) + String(Number(p[i]) + 1);
  // Where the caller says it is SQLite, the range alone: the LIKE, tested on every row the range finds, was a
  // tenth of a city-wide heatmap's time there.
  if (dialect === 'sqlite') return { sql: `${col} >= ? AND ${col} < ?`, params: [p, hi] };
  return { sql: `${col} LIKE ? AND ${col} >= ? AND ${col} < ?`, params: [`${p}%`, p, hi] };
}
