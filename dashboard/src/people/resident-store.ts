import { randomUUID } from 'node:crypto';
import type { FieldCrypto } from '../privacy/field-crypto.js';
import type { SqlDb, SqlExec, SqlValue } from '../store/sql/sql-db.js';
import type { Category } from './categories.js';
import type { ResidentInput } from './types.js';

export interface StoredRow {
  id: string;
  grid_code: string;
  category: Category;
  name_enc: string;
  id_number_enc: string;
  phone_enc: string | null;
  address_enc: string | null;
}

const ROW_COLUMNS = 'id, grid_code, category, name_enc, id_number_enc, phone_enc, address_enc';
const INSERT_COLUMNS =
  'id, grid_code, category, name_enc, id_number_enc, phone_enc, address_enc, id_blind, import_id, created_at';
/** Rows per INSERT statement (10 parameters each). */
const INSERT_CHUNK = 100;

/** True for a unique-constraint violation on either engine. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/**
 * Encrypting persistence for the register (tables in migration 009-people).
 * Internal: the only way out for callers is PeopleRegister's queries.
 */
export class ResidentStore {
  constructor(
    readonly db: SqlDb,
    private readonly crypto: FieldCrypto,
  ) {}

  blindOf(idNumber: string): string {
    return this.crypto.blindIndex('id_number', idNumber);
  }

  /** True when this person is already registered in this category. */
  async exists(idNumber: string, category: Category): Promise<boolean> {
    const r = await this.db.get<{ n: number }>(
      'SELECT count(*) AS n FROM people_residents WHERE id_blind = ? AND category = ?',
      [this.blindOf(idNumber), category],
    );
    return (r?.n ?? 0) > 0;
  }

  /** Stores all or nothing, inside the caller's transaction `t` when given. Returns the import id. */
  async insertAll(records: ResidentInput[], userId: string, format: string, t?: SqlExec): Promise<string> {
    const importId = randomUUID();
    const run = async (x: SqlExec) => {
      const now = Date.now();
      await x.run('INSERT INTO people_imports (id, user_id, at, format, rows) VALUES (?, ?, ?, ?, ?)', [
        importId,
        userId,
        now,
        format,
        records.length,
      ]);
      for (let i = 0; i < records.length; i += INSERT_CHUNK) {
        const chunk = records.slice(i, i + INSERT_CHUNK);
        const params: SqlValue[] = [];
        for (const r of chunk)
          params.push(
            randomUUID(),
            r.gridCode,
            r.category,
            this.crypto.encrypt('name', r.name),
            this.crypto.encrypt('id_number', r.idNumber),
            r.phone === null ? null : this.crypto.encrypt('phone', r.phone),
            r.address === null ? null : this.crypto.encrypt('address', r.address),
            this.blindOf(r.idNumber),
            importId,
            now,
          );
        await x.run(
          `INSERT INTO people_residents (${INSERT_COLUMNS}) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          params,
        );
      }
    };
    if (t) await run(t);
    else await this.db.tx(run);
    return importId;
  }

  async counts(): Promise<{ gridCode: string; category: Category; n: number }[]> {
    const rows = await this.db.all<{ grid_code: string; category: Category; n: number }>(
      'SELECT grid_code, category, count(*) AS n FROM people_residents GROUP BY grid_code, category',
    );
    return rows.map((r) => ({ gridCode: r.grid_code, category: r.category, n: r.n }));
  }

  get(id: string): Promise<StoredRow | undefined> {
    return this.db.get<StoredRow>(`SELECT ${ROW_COLUMNS} FROM people_residents WHERE id = ?`, [id]);
  }

  /** Rows in an area (code prefix) and categories, paged; `t` to read inside a transaction. */
  async list(
    prefix: string,
    categories: Category[],
    limit: number,
    offset: number,
    t: SqlExec = this.db,
  ): Promise<StoredRow[]> {
    if (categories.length === 0) return [];
    return t.all<StoredRow>(
      `SELECT ${ROW_COLUMNS} FROM people_residents WHERE grid_code LIKE ? AND category IN (${categories.map(() => '?').join(',')})
       ORDER BY grid_code, id LIMIT ? OFFSET ?`,
      [`${prefix}%`, ...categories, limit, offset],
    );
  }

  decrypt(row: StoredRow): ResidentInput {
    return {
      name: this.crypto.decrypt('name', row.name_enc),
      idNumber: this.crypto.decrypt('id_number', row.id_number_enc),
      phone: row.phone_enc === null ? null : this.crypto.decrypt('phone', row.phone_enc),
      address: row.address_enc === null ? null : this.crypto.decrypt('address', row.address_enc),
      category: row.category,
      gridCode: row.grid_code,
    };
  }
}
