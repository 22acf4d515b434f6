import type { OutboxStatements } from './outbox-statements.js';
import type { OverflowCounts } from './overflow-counts.js';
import { toRanges } from './ranges.js';

/** The buffer's running totals, kept in memory; a failed transaction puts back a copy taken before it. */
export interface Tally {
  lastSeq: number;
  bytes: number;
  depth: number;
  telemetry: number;
}

/**
 * Taking the oldest telemetry out of the buffer (for the byte limit, the disk
 * or its age): deletes the rows, records their sequences as evicted ranges the
 * hub will be told about, and counts them by kind. Always inside a transaction.
 */
export class Eviction {
  constructor(
    private readonly q: OutboxStatements,
    private readonly counts: OverflowCounts,
    private readonly tally: Tally,
  ) {}

  /** Deletes the oldest telemetry until `need` bytes are freed (or none is left). Returns rows evicted. */
  oldest(need: number): number {
    let freed = 0;
    let rows = 0;
    while (freed < need) {
      const batch = this.q.oldestTelemetry.all(256);
      if (!batch.length) break;
      const take: typeof batch = [];
      for (const r of batch) {
        if (freed >= need) break;
        take.push(r);
        freed += r.bytes;
      }
      this.rows(take);
      rows += take.length;
    }
    return rows;
  }

  /** Evicts telemetry received before `cutoff` (a prefix: it is stored in arrival order). Returns how many. */
  expire(cutoff: number, txn: (fn: () => void) => void): number {
    let expired = 0;
    for (;;) {
      const rows = this.q.oldestTelemetry.all(1000);
      const firstYoung = rows.findIndex((r) => r.received_at >= cutoff);
      const old = firstYoung === -1 ? rows : rows.slice(0, firstYoung);
      if (!old.length) return expired;
      txn(() => this.rows(old));
      expired += old.length;
      if (old.length < rows.length) return expired;
    }
  }

  rows(rows: { seq: number; bytes: number; kind: string | null }[]): void {
    const byKind = new Map<string, number>();
    for (const r of rows) {
      this.q.deleteTelemetry.run(r.seq);
      this.tally.bytes -= r.bytes;
      this.tally.depth--;
      this.tally.telemetry--;
      const kind = r.kind ?? 'unknown';
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    for (const range of toRanges(rows.map((r) => r.seq))) {
      // Extend the range that ends just before this one, so steady eviction keeps one row, not thousands.
      if (this.q.extendRange.run(range.toSeq, range.fromSeq - 1).changes === 0)
        this.q.addRange.run(range.fromSeq, range.toSeq);
    }
    for (const [kind, n] of byKind) this.counts.addInTx(kind, 'telemetry', 0, n, null);
  }
}
