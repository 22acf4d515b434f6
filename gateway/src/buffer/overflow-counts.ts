import type Database from 'better-sqlite3';

export type EventClass = 'alarm' | 'telemetry';
export type OverflowReason = 'capacity' | 'disk_full';

interface Row {
  kind: string;
  cls: EventClass;
  refused: number;
  evicted: number;
}

/** What one `gateway.buffer_full` report carries (its payload), and the rows it will subtract. */
export interface OverflowReport {
  payload: {
    reason: OverflowReason;
    refusedAlarms: number;
    evictedTelemetry: number;
    since: number;
    refusedByKind: Record<string, number>;
    evictedByKind: Record<string, number>;
  };
  rows: Row[];
}

/**
 * Refused and evicted events by kind, exact, until the hub has been told.
 *
 * Counts decided inside a buffer transaction (eviction, refusal for capacity)
 * are written in that transaction, so a rollback takes them back with it.
 * Refusals decided because the disk refused the write cannot be written then;
 * they wait in memory and go into the next transaction that commits. A report
 * subtracts exactly what it carries in the transaction that stores it, so a
 * refused report loses nothing and later counts are never folded into it.
 */
export class OverflowCounts {
  private unsaved = new Map<string, Row & { reason: OverflowReason }>();
  private inflight: Map<string, Row & { reason: OverflowReason }> | null = null;
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly now: () => number,
  ) {
    this.q = {
      add: db.prepare<[string, string, number, number]>(
        'INSERT INTO unreported (kind, class, refused, evicted) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (kind, class) DO UPDATE SET refused = refused + excluded.refused, evicted = evicted + excluded.evicted',
      ),
      sub: db.prepare<[number, number, string, string]>(
        'UPDATE unreported SET refused = refused - ?, evicted = evicted - ? WHERE kind = ? AND class = ?',
      ),
      prune: db.prepare('DELETE FROM unreported WHERE refused <= 0 AND evicted <= 0'),
      all: db.prepare<[], { kind: string; class: EventClass; refused: number; evicted: number }>(
        'SELECT kind, class, refused, evicted FROM unreported ORDER BY kind, class',
      ),
      meta: db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare<[number, string]>('UPDATE meta SET value = ? WHERE key = ?'),
      addMeta: db.prepare<[number, string]>('UPDATE meta SET value = value + ? WHERE key = ?'),
    };
  }

  /** Refusals the disk would not let us write: kept here until the next commit. */
  noteRefusedUnsaved(kinds: { kind: string; cls: EventClass }[], reason: OverflowReason): void {
    for (const { kind, cls } of kinds) {
      const key = `${kind}\u0000${cls}`;
      const r = this.unsaved.get(key) ?? { kind, cls, refused: 0, evicted: 0, reason };
      r.refused++;
      if (reason === 'disk_full') r.reason = reason;
      this.unsaved.set(key, r);
    }
  }

  /** Inside a transaction: counts that commit or roll back with it. */
  addInTx(kind: string, cls: EventClass, refused: number, evicted: number, reason: OverflowReason | null): void {
    if (!refused && !evicted) return;
    this.q.add.run(kind, cls, refused, evicted);
    if (evicted) this.q.addMeta.run(evicted, 'evicted_telemetry');
    if (refused) this.q.addMeta.run(refused, cls === 'alarm' ? 'refused_alarms' : 'refused_telemetry');
    if (this.meta('unreported_since') === 0) this.q.setMeta.run(this.now(), 'unreported_since');
    if (reason === 'disk_full') this.q.setMeta.run(1, 'unreported_disk_full');
  }

  /** At the start of a transaction: writes what waited in memory (kept aside until the commit is known). */
  flushInTx(): void {
    if (!this.unsaved.size) return;
    this.inflight = this.unsaved;
    this.unsaved = new Map();
    for (const r of this.inflight.values()) this.addInTx(r.kind, r.cls, r.refused, r.evicted, r.reason);
  }

  /** After the transaction: on rollback, what was flushed waits in memory again. */
  settled(committed: boolean): void {
    const flushed = this.inflight;
    this.inflight = null;
    if (committed || !flushed) return;
    for (const [key, r] of flushed) {
      const now = this.unsaved.get(key);
      if (now) {
        now.refused += r.refused;
        now.evicted += r.evicted;
        if (r.reason === 'disk_full') now.reason = 'disk_full';
      } else this.unsaved.set(key, r);
    }
  }

  /** Totals since the buffer was created (stored plus waiting in memory). */
  totals(): { evictedTelemetry: number; refusedAlarms: number; refusedTelemetry: number } {
    let refusedAlarms = this.meta('refused_alarms');
    let refusedTelemetry = this.meta('refused_telemetry');
    for (const r of this.unsaved.values()) {
      if (r.cls === 'alarm') refusedAlarms += r.refused;
      else refusedTelemetry += r.refused;
    }
    return { evictedTelemetry: this.meta('evicted_telemetry'), refusedAlarms, refusedTelemetry };
  }

  /** True when something was refused and the hub has not been told yet. */
  hasRefusals(): boolean {
    return this.unsaved.size > 0 || this.q.all.all().some((r) => r.refused > 0);
  }

  /** True when anything at all (refused or evicted) is unreported. */
  hasAny(): boolean {
    return this.unsaved.size > 0 || this.q.all.all().length > 0;
  }

  /** The report of everything unreported now (stored and in memory), or null if there is nothing. */
  report(): OverflowReport | null {
    const rows = new Map<string, Row>();
    for (const r of this.q.all.all()) rows.set(`${r.kind}\u0000${r.class}`, { ...r, cls: r.class });
    let diskFull = this.meta('unreported_disk_full') === 1;
    for (const [key, r] of this.unsaved) {
      const have = rows.get(key) ?? { kind: r.kind, cls: r.cls, refused: 0, evicted: 0 };
      rows.set(key, { ...have, refused: have.refused + r.refused, evicted: have.evicted + r.evicted });
      if (r.reason === 'disk_full') diskFull = true;
    }
    const list = [...rows.values()].filter((r) => r.refused > 0 || r.evicted > 0);
    if (!list.length) return null;
    const refusedByKind: Record<string, number> = {};
    const evictedByKind: Record<string, number> = {};
    for (const r of list) {
      if (r.refused) refusedByKind[r.kind] = (refusedByKind[r.kind] ?? 0) + r.refused;
      if (r.evicted) evictedByKind[r.kind] = (evictedByKind[r.kind] ?? 0) + r.evicted;
    }
    const sum = (f: (r: Row) => number) => list.reduce((n, r) => n + f(r), 0);
    return {
      payload: {
        reason: diskFull ? 'disk_full' : 'capacity',
        refusedAlarms: sum((r) => (r.cls === 'alarm' ? r.refused : 0)),
        evictedTelemetry: sum((r) => r.evicted),
        since: this.meta('unreported_since') || this.now(),
        refusedByKind,
        evictedByKind,
      },
      rows: list,
    };
  }

  /** Inside the transaction that stores the report: subtracts exactly what it carries. */
  clearInTx(report: OverflowReport): void {
    for (const r of report.rows) {
      // Anything still in memory was flushed at the start of this transaction, so the table holds it.
      this.q.add.run(r.kind, r.cls, 0, 0);
      this.q.sub.run(r.refused, r.evicted, r.kind, r.cls);
    }
    this.q.prune.run();
    if (!this.q.all.all().length) {
      this.q.setMeta.run(0, 'unreported_since');
      this.q.setMeta.run(0, 'unreported_disk_full');
    }
  }

  private meta(key: string): number {
    return this.q.meta.get(key)?.value ?? 0;
  }
}
