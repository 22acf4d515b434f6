import type { SqlExec } from '../store/sql/sql-db.js';

/** Things that name an area by code; each would point nowhere if its code vanished. */
export type OrphanKind = 'user' | 'alert' | 'resident' | 'enrollment-code' | 'gateway';

export interface Orphan {
  kind: OrphanKind;
  /** The area code that is not in the new version. */
  code: string;
  /** How many rows hold it (residents and alerts are counted, not listed: no personal data here). */
  count: number;
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
  { kind: 'resident', table: 'people_residents', column: 'grid_code', id: null, where: '1 = 1', params: () => [] },
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
export async function findOrphans(t: SqlExec, codes: ReadonlySet<string>, now: number): Promise<Orphan[]> {
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
  return out;
}

/** Moves every row of every source from one code to another (`--reassign OLD=NEW`); returns rows moved. */
export async function reassign(t: SqlExec, mapping: ReadonlyMap<string, string>, now: number): Promise<number> {
  let moved = 0;
  for (const [from, to] of mapping)
    for (const s of SOURCES) {
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
  resident: '重点人群登记',
  'enrollment-code': '未用注册码',
  gateway: '网关',
};

export function orphanText(orphans: readonly Orphan[]): string {
  if (!orphans.length) return '没有失去区域的数据 / nothing loses its area';
  return [
    `以下数据所属区域在新版本中不存在 / these rows name areas missing from the new version:`,
    ...orphans.map(
      (o) =>
        `  ${KIND_ZH[o.kind]} ${o.kind}: ${o.code} ×${o.count}${o.ids.length ? ` (${o.ids.join(', ')}${o.count > o.ids.length ? ', …' : ''})` : ''}`,
    ),
    '用 --reassign 旧编码=新编码 迁移，或 --accept-orphans 明确接受 / move them with --reassign OLD=NEW, or accept with --accept-orphans',
  ].join('\n');
}
