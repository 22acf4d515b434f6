import type { Area, AreaLevel, Home, StreetCollection } from '@linli/geo';
import type { SqlDb, SqlExec } from '../store/sql/sql-db.js';
import type {
  CityContent,
  CityDraft,
  CityFacility,
  CityReport,
  CitySource,
  CityStatus,
  CityVersion,
  CityVersionSummary,
} from './city-types.js';

/** Versions are numbered under this lock, so two nodes importing at once get 1 and 2, never 1 twice. */
const VERSION_LOCK = 'linli:city-versions';
/** Area rows per INSERT: well under both engines' parameter limits (7 per row). */
const AREA_BATCH = 500;

interface VersionRow {
  id: number;
  name: string;
  status: string;
  demo: number;
  area_count: number;
  created_at: number;
  created_by: string;
  active: number;
}

const SUMMARY = `v.id, v.name, v.status, v.demo, v.area_count, v.created_at, v.created_by,
  CASE WHEN a.version_id IS NULL THEN 0 ELSE 1 END AS active`;
const FROM = 'FROM city_versions v LEFT JOIN city_active a ON a.version_id = v.id';

const summary = (r: VersionRow): CityVersionSummary => ({
  id: Number(r.id),
  name: r.name,
  status: r.status as CityStatus,
  demo: Number(r.demo) === 1,
  areaCount: Number(r.area_count),
  createdAt: Number(r.created_at),
  createdBy: r.created_by,
  active: Number(r.active) === 1,
});

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

/**
 * City versions in the hub database (the same SQL on SQLite and PostgreSQL).
 * Areas are rows, so a diff or an orphan check reads only codes; facilities,
 * the walking network, homes and coverage are JSON documents of their version.
 */
export class CityStore {
  constructor(readonly db: SqlDb) {}

  /**
   * Stores a version (valid or failed) in one transaction; returns its number.
   * `onlyIfEmpty`: only as the first version ever (the demo, when several nodes start at once), else null.
   */
  async create(draft: CityDraft, by: string, now: number, onlyIfEmpty = false): Promise<number | null> {
    const status: CityStatus = draft.report.ok ? 'valid' : 'failed';
    return this.db.tx(async (t) => {
      await t.lock(VERSION_LOCK);
      if (onlyIfEmpty && !(await this.isEmpty(t))) return null;
      const row = await t.get<{ n: number | null }>('SELECT max(id) AS n FROM city_versions');
      const id = Number(row?.n ?? 0) + 1;
      await t.run(
        `INSERT INTO city_versions (id, name, status, demo, source, report, area_count, facilities, network, homes,
           coverage, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
        [
          id,
          draft.name,
          status,
          draft.demo ? 1 : 0,
          JSON.stringify(draft.source),
          JSON.stringify(draft.report),
          draft.areas.length,
          json(draft.facilities),
          json(draft.network),
          json(draft.homes),
          now,
          by,
        ],
      );
      await insertAreas(t, id, draft.areas);
      return id;
    });
  }

  async list(): Promise<CityVersionSummary[]> {
    return (await this.db.all<VersionRow>(`SELECT ${SUMMARY} ${FROM} ORDER BY v.id`)).map(summary);
  }

  async get(id: number, t: SqlExec = this.db): Promise<CityVersion | null> {
    const r = await t.get<VersionRow & { source: string; report: string }>(
      `SELECT ${SUMMARY}, v.source, v.report ${FROM} WHERE v.id = ?`,
      [id],
    );
    if (!r) return null;
    return { ...summary(r), source: JSON.parse(r.source) as CitySource, report: JSON.parse(r.report) as CityReport };
  }

  /** Whether any version was ever stored (the demo is imported only into an empty history). */
  async isEmpty(t: SqlExec = this.db): Promise<boolean> {
    return !(await t.get('SELECT 1 AS one FROM city_versions LIMIT 1'));
  }

  async activeId(t: SqlExec = this.db): Promise<number | null> {
    const r = await t.get<{ version_id: number }>('SELECT version_id FROM city_active WHERE one = 1');
    return r ? Number(r.version_id) : null;
  }

  async areas(id: number, t: SqlExec = this.db): Promise<Area[]> {
    const rows = await t.all<{ code: string; name: string; level: string; parent: string | null; ring: string | null }>(
      'SELECT code, name, level, parent, ring FROM city_areas WHERE version_id = ? ORDER BY ord',
      [id],
    );
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level as AreaLevel,
      parent: r.parent,
      ring: r.ring === null ? null : (JSON.parse(r.ring) as Area['ring']),
    }));
  }

  /** Codes, names and levels only (for diffs and orphan checks on large cities, without the rings). */
  async codes(id: number, t: SqlExec = this.db): Promise<Map<string, { name: string; ring: string | null }>> {
    const rows = await t.all<{ code: string; name: string; ring: string | null }>(
      'SELECT code, name, ring FROM city_areas WHERE version_id = ?',
      [id],
    );
    return new Map(rows.map((r) => [r.code, { name: r.name, ring: r.ring }]));
  }

  async content(id: number): Promise<CityContent> {
    const r = await this.db.get<{ facilities: string | null; network: string | null; homes: string | null }>(
      'SELECT facilities, network, homes FROM city_versions WHERE id = ?',
      [id],
    );
    return {
      areas: await this.areas(id),
      facilities: r?.facilities ? (JSON.parse(r.facilities) as CityFacility[]) : [],
      network: r?.network ? (JSON.parse(r.network) as StreetCollection) : null,
      homes: r?.homes ? (JSON.parse(r.homes) as Home[]) : [],
    };
  }

  /**
   * Makes `id` the active version in the caller's transaction: one row, replaced
   * atomically, so every reader sees the old version or the new one, never a mix.
   */
  async setActive(t: SqlExec, id: number, by: string, now: number): Promise<void> {
    const changed = await t.run(
      'UPDATE city_active SET version_id = ?, activated_at = ?, activated_by = ? WHERE one = 1',
      [id, now, by],
    );
    if (!changed.changes)
      await t.run('INSERT INTO city_active (one, version_id, activated_at, activated_by) VALUES (1, ?, ?, ?)', [
        id,
        now,
        by,
      ]);
  }

  async saveCoverage(id: number, coverage: unknown): Promise<void> {
    await this.db.run('UPDATE city_versions SET coverage = ? WHERE id = ?', [JSON.stringify(coverage), id]);
  }

  async coverage<T>(id: number): Promise<T | null> {
    const r = await this.db.get<{ coverage: string | null }>('SELECT coverage FROM city_versions WHERE id = ?', [id]);
    return r?.coverage ? (JSON.parse(r.coverage) as T) : null;
  }
}

async function insertAreas(t: SqlExec, id: number, areas: readonly Area[]): Promise<void> {
  for (let i = 0; i < areas.length; i += AREA_BATCH) {
    const batch = areas.slice(i, i + AREA_BATCH);
    await t.run(
      `INSERT INTO city_areas (version_id, code, name, level, parent, ring, ord) VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      batch.flatMap((a, k) => [id, a.code, a.name, a.level, a.parent, a.ring ? JSON.stringify(a.ring) : null, i + k]),
    );
  }
}
