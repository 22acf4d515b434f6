import type { SqliteDb } from './sqlite-db.js';

/**
 * Files made by v0.2 (before versioned migrations) lack columns that
 * 001-core.sql creates; add them before the migrations run. A file that is
 * new or already migrated is left alone.
 */
export function upgradeLegacySqlite(db: SqliteDb): void {
  const raw = db.raw;
  const has = (table: string, col: string) =>
    raw
      .prepare<[string], { name: string }>('SELECT name FROM pragma_table_info(?)')
      .all(table)
      .some((c) => c.name === col);
  const exists = (table: string) =>
    !!raw.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  if (exists('schema_migrations')) return;
  if (exists('gateways') && !has('gateways', 'area_code')) raw.exec('ALTER TABLE gateways ADD COLUMN area_code TEXT');
  if (exists('events') && !has('events', 'lng'))
    // Older rows get their positions from the JSON body, once.
    raw.exec(`
      ALTER TABLE events ADD COLUMN lng REAL;
      ALTER TABLE events ADD COLUMN lat REAL;
      UPDATE events SET lng = json_extract(body, '$.location.lng'), lat = json_extract(body, '$.location.lat');
    `);
}
