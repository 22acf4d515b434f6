import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { FieldCrypto } from '../privacy/field-crypto.js';
import type { Category } from './categories.js';
import { migratePeople } from './schema.js';
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

/** Encrypting persistence for the register. Internal: the only way out for callers is PeopleRegister's queries. */
export class ResidentStore {
  private readonly q;

  constructor(
    readonly db: Database.Database,
    private readonly crypto: FieldCrypto,
  ) {
    migratePeople(db);
    this.q = {
      insert: db.prepare(
        `INSERT INTO people_residents (id, grid_code, category, name_enc, id_number_enc, phone_enc, address_enc, id_blind, import_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      blindExists: db.prepare<[string, string], { n: number }>(
        'SELECT count(*) AS n FROM people_residents WHERE id_blind = ? AND category = ?',
      ),
      importRow: db.prepare('INSERT INTO people_imports (id, user_id, at, format, rows) VALUES (?, ?, ?, ?, ?)'),
      counts: db.prepare<[], { grid_code: string; category: Category; n: number }>(
        'SELECT grid_code, category, count(*) AS n FROM people_residents GROUP BY grid_code, category',
      ),
      byId: db.prepare<[string], StoredRow>('SELECT * FROM people_residents WHERE id = ?'),
    };
  }

  blindOf(idNumber: string): string {
    return this.crypto.blindIndex('id_number', idNumber);
  }

  /** True when this person is already registered in this category. */
  exists(idNumber: string, category: Category): boolean {
    return this.q.blindExists.get(this.blindOf(idNumber), category)!.n > 0;
  }

  /** Stores all or nothing, inside the caller's transaction when there is one. Returns the import id. */
  insertAll(records: ResidentInput[], userId: string, format: string): string {
    const importId = randomUUID();
    const run = () => {
      const now = Date.now();
      this.q.importRow.run(importId, userId, now, format, records.length);
      for (const r of records)
        this.q.insert.run(
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
    };
    if (this.db.inTransaction) run();
    else this.db.transaction(run).immediate();
    return importId;
  }

  counts(): { gridCode: string; category: Category; n: number }[] {
    return this.q.counts.all().map((r) => ({ gridCode: r.grid_code, category: r.category, n: r.n }));
  }

  get(id: string): StoredRow | undefined {
    return this.q.byId.get(id);
  }

  /** Rows in an area (code prefix) and categories, paged. */
  list(prefix: string, categories: Category[], limit: number, offset: number): StoredRow[] {
    if (categories.length === 0) return [];
    return this.db
      .prepare<unknown[], StoredRow>(
        `SELECT * FROM people_residents WHERE grid_code LIKE ? AND category IN (${categories.map(() => '?').join(',')})
         ORDER BY grid_code, id LIMIT ? OFFSET ?`,
      )
      .all(`${prefix}%`, ...categories, limit, offset);
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
