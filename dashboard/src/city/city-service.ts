import type { Role } from '@linli/contract';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuditInput } from '../audit/types.js';
import { type CityDiff, diffCities } from './city-diff.js';
import { findOrphans, type Orphan, reassign, vanishedGrids } from './city-orphans.js';
import type { CityStore } from './city-store.js';
import type { CityDraft } from './city-types.js';

/** Who imports or activates: a signed-in administrator, or the machine's operator at the CLI. */
export interface CityActor {
  userId: string;
  role: Role | 'system';
}

export type CityErrorCode = 'NOT_FOUND' | 'FAILED_VERSION' | 'ORPHANS' | 'BAD_REASSIGN' | 'ALREADY_ACTIVE';

/** A refused city operation, with the orphans when that is why. */
export class CityError extends Error {
  constructor(
    readonly code: CityErrorCode,
    message: string,
    readonly orphans: Orphan[] = [],
  ) {
    super(message);
    this.name = 'CityError';
  }
}

export interface ActivateOptions {
  /** OLD=NEW area codes: rows naming OLD are moved to NEW in the same transaction. */
  reassign?: ReadonlyMap<string, string>;
  /** Activate even though some rows name vanished areas (listed in the audit entry's counts). */
  acceptOrphans?: boolean;
}

export interface ActivateResult {
  id: number;
  moved: number;
  /** Orphans accepted with acceptOrphans (empty otherwise). */
  accepted: Orphan[];
}

const VERSION_LOCK = 'linli:city-versions';

/**
 * Imports and activations, each audited. Activation is one transaction: check
 * the version, find rows whose area vanishes, move the ones the operator
 * mapped, refuse if any are left (unless explicitly accepted), then replace
 * the one active row. Nothing is orphaned silently.
 */
export class CityService {
  constructor(
    readonly store: CityStore,
    private readonly audit: AuditLog,
  ) {}

  /** Stores a draft (valid or failed) and audits it; returns the version number (null: onlyIfEmpty and not empty). */
  async save(draft: CityDraft, actor: CityActor, now: number, onlyIfEmpty = false): Promise<number | null> {
    const id = await this.store.create(draft, actor.userId, now, onlyIfEmpty);
    if (id === null) return null;
    // Counts only: the version's free-text name stays in city_versions (audit details refuse digit runs).
    await this.audit.append(
      this.entry(actor, 'city:import', id, draft.report.ok ? 'ok' : 'error', {
        areas: draft.areas.length,
        facilities: draft.facilities.length,
        errors: draft.report.issues.filter((i) => i.severity === 'error').length,
        demo: draft.demo,
      }),
    );
    return id;
  }

  /**
   * A dry run stores nothing, but who looked at which files is still recorded
   * (cheap: names, sizes, counts). Digit runs in a file name become '#', so a
   * name cannot carry an ID or phone number into the audit log.
   */
  async auditDryRun(draft: CityDraft, actor: CityActor, jobId: string, bytes: number): Promise<void> {
    await this.audit.append({
      userId: actor.userId,
      role: actor.role,
      action: 'city:dry-run',
      target: { type: 'city-import', id: jobId },
      outcome: draft.report.ok ? 'ok' : 'error',
      detail: {
        files: draft.source.files
          .map((f) => f.name.replace(/\d{6,}/g, '#'))
          .join(', ')
          .slice(0, 500),
        bytes,
        areas: draft.areas.length,
        facilities: draft.facilities.length,
        errors: draft.report.errors,
      },
    });
  }

  async diff(from: number, to: number): Promise<CityDiff> {
    for (const id of [from, to])
      if (!(await this.store.get(id))) throw new CityError('NOT_FOUND', `没有版本 ${id} / no city version ${id}`);
    return diffCities(from, await this.store.codes(from), to, await this.store.codes(to));
  }

  /** Rows that would lose their area if `id` became active (read-only; the admin page shows them before asking). */
  async orphans(id: number, now: number): Promise<Orphan[]> {
    const codes = new Set((await this.store.codes(id)).keys());
    const active = await this.store.activeId();
    const previous = active === null || active === id ? null : await this.store.codes(active);
    return findOrphans(this.store.db, codes, now, vanishedGrids(previous, codes));
  }

  async activate(id: number, actor: CityActor, now: number, opts: ActivateOptions = {}): Promise<ActivateResult> {
    try {
      const result = await this.store.db.tx(async (t) => {
        await t.lock(VERSION_LOCK);
        const v = await this.store.get(id, t);
        if (!v) throw new CityError('NOT_FOUND', `没有版本 ${id} / no city version ${id}`);
        if (v.status !== 'valid')
          throw new CityError(
            'FAILED_VERSION',
            `版本 ${id} 校验未通过，不能启用；见 linli-hub city show ${id} / version ${id} failed validation and cannot be activated`,
          );
        const codes = new Set((await this.store.codes(id, t)).keys());
        for (const [from, to] of opts.reassign ?? [])
          if (!codes.has(to))
            throw new CityError(
              'BAD_REASSIGN',
              `--reassign ${from}=${to}：${to} 不在版本 ${id} 中 / ${to} is not an area of version ${id}`,
            );
        const moved = opts.reassign?.size ? await reassign(t, opts.reassign, now) : 0;
        const active = await this.store.activeId(t);
        const previous = active === null || active === id ? null : await this.store.codes(active, t);
        const left = await findOrphans(t, codes, now, vanishedGrids(previous, codes, opts.reassign));
        if (left.length && !opts.acceptOrphans)
          throw new CityError(
            'ORPHANS',
            `启用版本 ${id} 会使 ${left.length} 组数据失去所属区域 / activating version ${id} would orphan ${left.length} group(s) of rows`,
            left,
          );
        await this.store.setActive(t, id, actor.userId, now);
        await this.audit.append(
          this.entry(actor, 'city:activate', id, 'ok', {
            moved,
            orphansAccepted: left.reduce((s, o) => s + (typeof o.count === 'number' ? o.count : 0), 0),
            reassigned: opts.reassign?.size ?? 0,
          }),
          t,
        );
        return { id, moved, accepted: left };
      });
      return result;
    } catch (e) {
      if (e instanceof CityError)
        await this.audit.append(
          this.entry(actor, 'city:activate', id, 'denied', { reason: e.code, orphans: e.orphans.length }),
        );
      throw e;
    }
  }

  private entry(
    actor: CityActor,
    action: string,
    id: number,
    outcome: AuditInput['outcome'],
    detail: AuditInput['detail'],
  ): AuditInput {
    return {
      userId: actor.userId,
      role: actor.role,
      action,
      target: { type: 'city', id: String(id) },
      outcome,
      detail: detail ?? {},
    };
  }
}
