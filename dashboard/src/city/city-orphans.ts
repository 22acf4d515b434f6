import { type SafeCount, suppress } from '@linli/geo';
import type { SqlExec } from '../store/sql/sql-db.js';

/** Things that name an area by code; each would point nowhere if its code vanished. */
export type OrphanKind = 'user' | 'alert' | 'resident' | 'enrollment-code' | 'gateway';

export interface Orphan {
  kind: OrphanKind;
  /** The area code that is not in the new version. */
  code: string;
  /**
   * How many rows hold it (alerts are counted, not listed). Register rows are
   * one entry for all vanished grids (code `*`), their total suppressed below 5,
   * present whenever a grid of the active city vanishes whether or not anyone is
   * registered there: an administrator must not learn a grid's key-population
   * count, or even that it is not zero, by importing versions that drop it.
   */
  count: SafeCount;
  /** Ids of the rows, for users, gateways and codes (at most a few dozen shown). */
  ids: string[];
}

interface Source {
  kind: OrphanKind;
  table: string;
  column: string;
  /** The id column listed for the operator; null when rows are only counted. */
  id: string | null;
  /** Only rows that still matter: open alerts, active users, live gateways, unspent codes. */
  where: string;
  params: (now: number) => number[];
}

const SOURCES: Source[] = [
  { kind: 'user', table: 'users', column: 'area_code', id: 'username', where: 'disabled = 0', params: () => [] },
  { kind: 'alert', table: 'alert_alerts', column: 'grid_id', id: 'id', where: "state <> 'resolved'", params: () => [] },
  {
    kind: 'enrollment-code',
    table: 'enrollment_codes',
    column: 'area_code',
    id: 'gateway_id',
    where: 'used_at IS NULL AND expires_at > ?',
    params: (now) => [now],
  },
  {
    kind: 'gateway',
    table: 'gateways',
    column: 'area_code',
    id: 'id',
    where: 'revoked = 0 AND area_code IS NOT NULL',
    params: () => [],
  },
];

const SHOWN_IDS = 20;

/**
 * Users, open alerts, register rows, unspent enrollment codes and live
 * gateways whose area code is not in `codes` (the version about to become
 * active). Grouped per table and code; the codes are read distinct, so a
 * large register costs one grouped scan.
 */
export async function findOrphans(
  t: SqlExec,
  codes: ReadonlySet<string>,
  now: number,
  /** Grid codes of the active version that the new one drops and no --reassign moves: the register's entry. */
  vanishedGrids: readonly string[] | null = null,
): Promise<Orphan[]> {
  const out: Orphan[] = [];
  for (const s of SOURCES) {
    const rows = await t.all<{ code: string; n: number }>(
      `SELECT ${s.column} AS code, count(*) AS n FROM ${s.table} WHERE ${s.where} GROUP BY ${s.column} ORDER BY ${s.column}`,
      s.params(now),
    );
    for (const r of rows) {
      if (codes.has(r.code)) continue;
      const ids = s.id
        ? (
            await t.all<{ id: string }>(
              `SELECT ${s.id} AS id FROM ${s.table} WHERE ${s.where} AND ${s.column} = ? ORDER BY ${s.id} LIMIT ${SHOWN_IDS}`,
              [...s.params(now), r.code],
            )
          ).map((x) => String(x.id))
        : [];
      out.push({ kind: s.kind, code: r.code, count: Number(r.n), ids });
    }
  }
  const registered = await residentsOutside(t, codes);
  // With an active city the entry follows the geometry (a grid vanishes), never the register's contents;
  // the first activation has no grids to compare with, and then only a non-zero total is shown (suppressed).
  if (vanishedGrids ? vanishedGrids.length > 0 : registered > 0)
    out.push({
      kind: 'resident',
      code: '*',
      count: suppress(registered),
      ids: [...(vanishedGrids ?? [])].slice(0, SHOWN_IDS),
    });
  return out;
}

/** Register rows whose grid is not an area of the version (one count for all of them; never listed). */
async function residentsOutside(t: SqlExec, codes: ReadonlySet<string>): Promise<number> {
  const rows = await t.all<{ code: string; n: number }>(
    'SELECT grid_code AS code, count(*) AS n FROM people_residents GROUP BY grid_code',
  );
  return rows.filter((r) => !codes.has(r.code)).reduce((sum, r) => sum + Number(r.n), 0);
}

/** Grids of the active version (`previous`) missing from `codes` and not moved by `--reassign`. */
export function vanishedGrids(
  previous: ReadonlyMap<string, unknown> | null,
  codes: ReadonlySet<string>,
  reassigned: ReadonlyMap<string, string> = new Map(),
): string[] | null {
  if (!previous) return null;
  return [...previous.keys()].filter((c) => c.length === 15 && !codes.has(c) && !reassigned.has(c));
}

/** The register moves with --reassign too, though it is never listed per code. */
const MOVED: Source[] = [
  ...SOURCES,
  { kind: 'resident', table: 'people_residents', column: 'grid_code', id: null, where: '1 = 1', params: () => [] },
];

/** Moves every row of every source from one code to another (`--reassign OLD=NEW`); returns rows moved. */
export async function reassign(t: SqlExec, mapping: ReadonlyMap<string, string>, now: number): Promise<number> {
  let moved = 0;
  for (const [from, to] of mapping)
    for (const s of MOVED) {
      const r = await t.run(`UPDATE ${s.table} SET ${s.column} = ? WHERE ${s.where} AND ${s.column} = ?`, [
        to,
        ...s.params(now),
        from,
      ]);
      moved += r.changes;
    }
  return moved;
}

const KIND_ZH: Record<OrphanKind, string> = {
  user: '用户',
  alert: '未结告警',
  resident: '重点人群登记（消失网格合计，少于5不显示确数）',
  'enrollment-code': '未用注册码',
  gateway: '网关',
};

export function orphanText(orphans: readonly Orphan[]): string {
  if (!orphans.length) return '没有失去区域的数据 / nothing loses its area';
  return [
    `以下数据所属区域在新版本中不存在 / these rows name areas missing from the new version:`,
    ...orphans.map(
      (o) =>
        `  ${KIND_ZH[o.kind]} ${o.kind}: ${o.code} ×${o.count}${o.ids.length ? ` (${o.ids.join(', ')}${typeof o.count === 'number' && o.count > o.ids.length ? ', …' : ''})` : ''}`,
    ),
    '用 --reassign 旧编码=新编码 迁移，或 --accept-orphans 明确接受 / move them with --reassign OLD=NEW, or accept with --accept-orphans',
  ].join('\n');
}
