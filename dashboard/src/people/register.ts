import type { AreaIndex } from '@linli/geo';
import { can, inScope, scopePrefix, type Viewer } from '@linli/contract';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuditDetail, AuditOutcome } from '../audit/types.js';
import { DEFAULT_UNMASK_LIMITS, type UnmaskLimits } from '../auth/unmask-limits.js';
import { AccessDenied } from '../privacy/errors.js';
import type { FieldCrypto } from '../privacy/field-crypto.js';
import type { SqlDb, SqlExec } from '../store/sql/sql-db.js';
import { maskAddress, maskName, maskPhone, maskResidentId } from '../privacy/mask.js';
import { figureRange, publishRow } from '../privacy/safe-counts.js';
import { type Category, CATEGORY_ZH, visibleCategories } from './categories.js';
import { type StoredRow, ResidentStore } from './resident-store.js';
import { type GridCounts, type ListFilter, type ResidentInput, type ResidentRecord } from './types.js';
import { UnmaskGate, type UnmaskRequest } from './unmask-gate.js';

/**
 * The key-population register. Its three queries are the only way data
 * leaves it, each checked against the viewer's role and area here, below
 * the API: counts are suppressed before they are returned; records are
 * masked, and one leaves in full only through the UnmaskGate; every individual
 * read, and every refused one, is written to the audit log in the same
 * transaction as the read.
 */
export class PeopleRegister {
  readonly store: ResidentStore;
  private readonly gate: UnmaskGate;
  private readonly areaSource: () => AreaIndex;

  /** The active city's areas (a function from the hub, so an activation reaches the register at once). */
  get areas(): AreaIndex {
    return this.areaSource();
  }

  constructor(
    private readonly db: SqlDb,
    crypto: FieldCrypto,
    readonly audit: AuditLog,
    areas: AreaIndex | (() => AreaIndex),
    unmaskLimits: UnmaskLimits = DEFAULT_UNMASK_LIMITS,
  ) {
    this.areaSource = typeof areas === 'function' ? areas : () => areas;
    this.store = new ResidentStore(db, crypto);
    this.gate = new UnmaskGate(db, this.store, audit, unmaskLimits);
  }

  /** Per-grid counts by category inside the viewer's area: each cell from 5 up, else "<5"; no sums. */
  async countsByGrid(viewer: Viewer, category?: Category): Promise<GridCounts[]> {
    const cats = visibleCategories(viewer.role);
    if (!can(viewer.role, 'view') || (category !== undefined && !cats.includes(category))) {
      await this.log(viewer, 'people.counts', { type: 'area', id: viewer.areaCode }, 'denied', viewer.areaCode, {
        category: category ?? null,
      });
      throw new AccessDenied(category ? `category ${category} is not visible to ${viewer.role}` : 'no view permission');
    }
    const raw = new Map<string, Record<string, number>>();
    // One city for the whole answer, even if another is activated while the counts are read.
    const areas = this.areas;
    for (const g of areas.byCode.values()) {
      if (g.level !== 'grid' || !inScope(viewer.areaCode, g.code)) continue;
      raw.set(g.code, Object.fromEntries(cats.map((c) => [c, 0])));
    }
    for (const c of await this.store.counts()) {
      const row = raw.get(c.gridCode);
      if (row && c.category in row) row[c.category] = c.n;
    }
    // Every cell is published on its own (privacy/safe-counts.ts), so a one-category query shows
    // exactly the figure the full row shows, and its total is that figure's range.
    return [...raw.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([gridCode, cells]) => {
        const pub = publishRow(cells);
        const gridName = areas.byCode.get(gridCode)!.name;
        if (!category) return { gridCode, gridName, cells: pub.cells, total: pub.total };
        const one = pub.cells[category]!;
        return { gridCode, gridName, cells: { [category]: one }, total: figureRange(one) };
      });
  }

  /** Records inside the viewer's area, always masked; one audit entry per record returned. */
  async listRecords(viewer: Viewer, filter: ListFilter = {}): Promise<ResidentRecord[]> {
    const area = filter.areaCode ?? viewer.areaCode;
    const cats = visibleCategories(viewer.role);
    const refuse = async (why: string, message: string) => {
      await this.log(viewer, 'people.list', { type: 'area', id: area }, 'denied', viewer.areaCode, {
        reason: why,
        category: filter.category ?? null,
      });
      return new AccessDenied(message);
    };
    if (!can(viewer.role, 'personal_read'))
      throw await refuse('no_permission', 'individual records need personal_read');
    if (!/^\d{6}(\d{3}){0,3}$/.test(area) || !inScope(viewer.areaCode, area))
      throw await refuse('out_of_scope', 'that area is outside yours');
    if (filter.category && !cats.includes(filter.category))
      throw await refuse('category', `category ${filter.category} is not visible to ${viewer.role}`);
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
    const offset = Math.max(filter.offset ?? 0, 0);
    return this.db.tx(async (t) => {
      const rows = await this.store.list(
        scopePrefix(area),
        filter.category ? [filter.category] : cats,
        limit,
        offset,
        t,
      );
      const out = rows.map((r) => this.view(r, false));
      for (const r of out)
        await this.log(
          viewer,
          'people.list',
          { type: 'resident', id: r.id },
          'ok',
          r.gridCode,
          { category: r.category },
          t,
        );
      if (out.length === 0)
        await this.log(viewer, 'people.list', { type: 'area', id: area }, 'ok', area, { returned: 0 }, t);
      return out;
    });
  }

  /**
   * One record, masked. A record outside the viewer's area is answered
   * exactly like a missing one.
   */
  async getRecord(viewer: Viewer, id: string): Promise<ResidentRecord> {
    const target = { type: 'resident', id };
    const deny = async (why: string, area: string, message: string) => {
      await this.log(viewer, 'people.read', target, 'denied', area, { reason: why });
      return new AccessDenied(message);
    };
    if (!can(viewer.role, 'personal_read'))
      throw await deny('no_permission', viewer.areaCode, 'individual records need personal_read');
    // Refusals are logged outside any transaction: a rollback must not take their audit entry with it.
    const row = await this.store.get(id);
    if (!row) throw await deny('not_found', viewer.areaCode, 'no such record in your area');
    if (!inScope(viewer.areaCode, row.grid_code))
      throw await deny('out_of_scope', row.grid_code, 'no such record in your area');
    if (!visibleCategories(viewer.role).includes(row.category))
      throw await deny('category', row.grid_code, 'no such record in your area');
    try {
      return await this.db.tx(async (t) => {
        const rec = this.view(row, false);
        await this.log(viewer, 'people.read', target, 'ok', row.grid_code, { category: row.category }, t);
        return rec;
      });
    } catch (err) {
      await this.log(viewer, 'people.read', target, 'error', row.grid_code, {});
      throw err;
    }
  }

  /** One record in full: only through the gate (grant, reason, step-up, rate limit; see unmask-gate.ts). */
  getUnmasked(viewer: Viewer, id: string, req: UnmaskRequest, now = Date.now()): Promise<ResidentRecord> {
    return this.gate.read(viewer, id, req, now, (row) => this.view(row, true));
  }

  /** Refuses (and audits) a list that asks for unmasked records. */
  refuseBulkUnmask(viewer: Viewer, areaCode: string, now = Date.now()): Promise<never> {
    return this.gate.refuseBulk(viewer, areaCode, now);
  }

  private view(row: StoredRow, unmasked: boolean): ResidentRecord {
    const p: ResidentInput = this.store.decrypt(row);
    return {
      id: row.id,
      category: row.category,
      categoryZh: CATEGORY_ZH[row.category],
      gridCode: row.grid_code,
      name: unmasked ? p.name : maskName(p.name),
      idNumber: unmasked ? p.idNumber : maskResidentId(p.idNumber),
      phone: p.phone === null ? null : unmasked ? p.phone : maskPhone(p.phone),
      address: p.address === null ? null : unmasked ? p.address : maskAddress(p.address),
      masked: !unmasked,
    };
  }

  private log(
    viewer: Viewer,
    action: string,
    target: { type: string; id: string },
    outcome: AuditOutcome,
    areaCode: string,
    detail: AuditDetail,
    t?: SqlExec,
  ): Promise<unknown> {
    return this.audit.append(
      { userId: viewer.userId, role: viewer.role, action, target, outcome, areaCode, detail },
      t,
    );
  }
}
