import { InternalError } from '@linli/contract';
/**
 * `?` placeholders to PostgreSQL's `$1, $2, …`, skipping string literals,
 * quoted identifiers and comments (a `?` inside them is text, not a parameter).
 */
export function toPgPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = closing(sql, i, c);
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      const end = nl < 0 ? sql.length - 1 : nl;
      out += sql.slice(i, end + 1);
      i = end;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out;
}

/** Index of the quote closing the literal opened at `start` (a doubled quote is an escaped one). */
function closing(sql: string, start: number, q: string): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] === q) {
      if (sql[i + 1] === q) i++;
      else return i;
    }
  }
  throw new InternalError(`unterminated ${q} in SQL: ${sql.slice(start, start + 40)}`);
}
