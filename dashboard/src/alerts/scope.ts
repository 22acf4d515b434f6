import { ValidationError } from '@linli/contract';

const PREFIX = /^[0-9]{1,15}$/;

/**
 * Checks a caller's area scope before it reaches SQL. Digits only, so a
 * prefix can never carry LIKE wildcards (`%`, `_`) and widen what it sees.
 */
export function checkScope(prefixes: readonly string[]): readonly string[] {
  if (!Array.isArray(prefixes))
    throw new ValidationError('area scope', [{ field: '', message: 'must be a list of area code prefixes' }]);
  const bad = prefixes.flatMap((p, i) =>
    typeof p === 'string' && PREFIX.test(p) ? [] : [{ field: `[${i}]`, message: 'must be 1–15 digits' }],
  );
  if (bad.length) throw new ValidationError('area scope', bad);
  return prefixes;
}

/** `(grid_id LIKE ? OR grid_id LIKE ? …)` with its parameters; an empty scope matches nothing. */
export function scopeSql(column: string, prefixes: readonly string[]): { sql: string; params: string[] } {
  checkScope(prefixes);
  if (prefixes.length === 0) return { sql: '1 = 0', params: [] };
  return { sql: `(${prefixes.map(() => `${column} LIKE ?`).join(' OR ')})`, params: prefixes.map((p) => `${p}%`) };
}

/** The same test in memory: true when `code` lies inside one of `prefixes`. */
export function inScopes(code: string, prefixes: readonly string[]): boolean {
  checkScope(prefixes);
  return prefixes.some((p) => code.startsWith(p));
}
