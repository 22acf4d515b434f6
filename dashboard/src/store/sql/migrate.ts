import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SqlDb, SqlExec } from './sql-db.js';

/** Work a migration does in code after its SQL, in the same transaction (a backfill), by version. */
export type MigrationSteps = Partial<Record<number, (t: SqlExec) => Promise<void>>>;

/** dashboard/migrations/<dialect>/NNN-name.sql, the same depth from src/ and dist/. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations for a dialect, in version order; a repeated number is a packaging error. */
export function loadMigrations(dialect: SqlDb['dialect'], dir = MIGRATIONS_DIR): Migration[] {
  const folder = `${dir}/${dialect}`;
  const out = readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => {
      const m = /^(\d{3})-([a-z0-9-]+)\.sql$/.exec(f);
      if (!m) throw new Error(`${folder}/${f}: a migration is named NNN-name.sql`);
      return { version: Number(m[1]), name: m[2]!, sql: readFileSync(`${folder}/${f}`, 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  out.forEach((m, i) => {
    if (i && out[i - 1]!.version === m.version) throw new Error(`${folder}: migration ${m.version} is repeated`);
  });
  return out;
}

/**
 * Brings the schema up to date, one migration per transaction, each recorded in
 * schema_migrations (with the version's code step, if any, in the same
 * transaction). Several hub nodes starting at once take turns on a lock;
 * the first applies, the others find the work done. A database newer than this
 * code is refused: an older node must not write to a schema it does not know.
 */
export async function migrate(
  db: SqlDb,
  onApplied: (m: { version: number; name: string }) => void = () => {},
  dir?: string,
  steps: MigrationSteps = {},
): Promise<number> {
  const all = loadMigrations(db.dialect, dir);
  await db.tx(async (t) => {
    await t.lock('linli:migrations');
    await t.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
  });
  const newest = await db.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
  const known = all.at(-1)?.version ?? 0;
  if (newest?.v && newest.v > known)
    throw new Error(
      `${db.describe}: the database is at schema version ${newest.v}, newer than this hub (${known}); upgrade the hub`,
    );
  let applied = 0;
  for (const m of all) {
    const did = await db.tx(async (t) => {
      await t.lock('linli:migrations');
      if (await t.get('SELECT 1 AS one FROM schema_migrations WHERE version = ?', [m.version])) return false;
      const after = await t.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
      if (after?.v && after.v > m.version)
        throw new Error(
          `${db.describe}: migration ${m.version}-${m.name} is older than the applied ${after.v}; renumber it`,
        );
      await t.exec(m.sql);
      await steps[m.version]?.(t);
      await t.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        Date.now(),
      ]);
      return true;
    });
    if (did) {
      applied++;
      onApplied(m);
    }
  }
  return applied;
}
