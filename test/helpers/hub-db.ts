import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** What the hub stored for one gateway, read straight from its SQLite file. */
export function hubRecord(hubDataDir: string, gatewayId: string) {
  const db = new Database(join(hubDataDir, 'hub.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare('SELECT seq, kind, severity, stored_at FROM events WHERE gateway_id = ? ORDER BY seq')
      .all(gatewayId) as { seq: number; kind: string; severity: string; stored_at: number }[];
    const gw = db.prepare('SELECT last_seq, lost_telemetry FROM gateways WHERE id = ?').get(gatewayId) as
      { last_seq: number; lost_telemetry: number } | undefined;
    return { rows, watermark: gw?.last_seq ?? 0, lost: gw?.lost_telemetry ?? 0 };
  } finally {
    db.close();
  }
}

/** Sequence ranges a producer logged as acknowledged to it by the outbox. */
export function ackedSeqs(ackLog: string): number[] {
  const out: number[] = [];
  for (const line of readFileSync(ackLog, 'utf8').split('\n')) {
    const m = /^(\d+) (\d+)$/.exec(line);
    if (!m) continue; // a line cut short by SIGKILL proves nothing either way
    for (let s = Number(m[1]); s <= Number(m[2]); s++) out.push(s);
  }
  return out;
}

/** Checks the promise: every sequence 1..n exactly once; telemetry stored in sequence order. */
export function assertExactlyOnceInOrder(rec: ReturnType<typeof hubRecord>, n: number): string[] {
  const problems: string[] = [];
  if (rec.rows.length !== n) problems.push(`hub has ${rec.rows.length} events, expected ${n}`);
  rec.rows.forEach((r, i) => {
    if (r.seq !== i + 1 && problems.length < 5) problems.push(`position ${i} holds seq ${r.seq}`);
  });
  if (rec.watermark !== n) problems.push(`watermark ${rec.watermark}, expected ${n}`);
  // Telemetry takes only the backlog lane, so its storage time never goes backwards in sequence order.
  let last = 0;
  for (const r of rec.rows) {
    if (r.severity === 'critical' || r.severity === 'warning') continue;
    if (r.stored_at < last && problems.length < 10) problems.push(`seq ${r.seq} stored before an earlier sequence`);
    last = Math.max(last, r.stored_at);
  }
  return problems;
}
