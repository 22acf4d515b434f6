import type { AuditDetail, AuditInput } from '../audit/types.js';
import type { Logger } from '../log.js';

/** What the gateway namespace writes to: the hash-chained log's ordered writer (`AuditLog.enqueue`). */
export interface AuditQueue {
  enqueue(input: AuditInput): void;
}

/** One entry per gateway and refusal code per window at most: a misbehaving gateway cannot flood the audit log. */
export const REFUSAL_AUDIT_WINDOW_MS = 60_000;

export interface Refusal {
  gatewayId: string;
  areaCode: string | null;
  /** Where it arrived: the backlog (`events`), the `live` lane, a picture (`media`) or a declaration (`hello`). */
  lane: 'events' | 'live' | 'media' | 'hello';
  code: string;
  /** The first refused item's particulars (ids, codes, sequence; never personal data). */
  sample: AuditDetail;
}

interface KeyState {
  lastWrite: number;
  suppressed: number;
  sample: Refusal | null;
  timer: NodeJS.Timeout | null;
}

/**
 * Audits authority refusals, rate-limited per (gateway, code): the first
 * refusal is written at once; later ones inside the window are counted and
 * written as one summary entry when the window ends, so every refusal is
 * accounted for in the log without one entry per refused event. The log line
 * follows the same rule.
 */
export class RefusalAudit {
  private readonly keys = new Map<string, KeyState>();

  constructor(
    private readonly audit: AuditQueue | undefined,
    private readonly log: Logger,
    private readonly windowMs = REFUSAL_AUDIT_WINDOW_MS,
  ) {}

  /** Records `count` refusals of one kind (e.g. the refused events of one batch). */
  refused(r: Refusal, count: number, now = Date.now()): void {
    const key = `${r.gatewayId}|${r.code}`;
    const st = this.keys.get(key) ?? { lastWrite: -Infinity, suppressed: 0, sample: null, timer: null };
    this.keys.set(key, st);
    if (now - st.lastWrite >= this.windowMs) {
      if (st.timer) clearTimeout(st.timer);
      st.timer = null;
      const total = count + st.suppressed;
      st.suppressed = 0;
      st.sample = null;
      st.lastWrite = now;
      this.write(r, total, now);
      return;
    }
    st.suppressed += count;
    st.sample ??= r;
    st.timer ??= setTimeout(() => this.flushKey(key), Math.max(0, st.lastWrite + this.windowMs - now));
    st.timer.unref();
  }

  /** Writes every pending summary now (the hub is stopping). */
  flush(): void {
    for (const key of [...this.keys.keys()]) this.flushKey(key);
  }

  private flushKey(key: string): void {
    const st = this.keys.get(key);
    if (!st) return;
    if (st.timer) clearTimeout(st.timer);
    st.timer = null;
    if (st.suppressed && st.sample) {
      const now = Date.now();
      this.write(st.sample, st.suppressed, now);
      st.lastWrite = now;
      st.suppressed = 0;
      st.sample = null;
    } else this.keys.delete(key);
  }

  private write(r: Refusal, count: number, now: number): void {
    this.log.warn({ gatewayId: r.gatewayId, lane: r.lane, code: r.code, count, ...r.sample }, 'gateway refused');
    const entry: AuditInput = {
      userId: r.gatewayId,
      role: 'system',
      action:
        r.lane === 'hello' ? 'gateway:device-refused' : `gateway:${r.lane === 'media' ? 'picture' : 'event'}-refused`,
      target: { type: 'gateway', id: r.gatewayId },
      outcome: 'denied',
      areaCode: r.areaCode,
      detail: { code: r.code, lane: r.lane, count, ...r.sample },
      time: now,
    };
    enqueueSafely(this.audit, entry, this.log);
  }
}

/**
 * Enqueues an entry; if the log refuses its detail (a device id that looks
 * like a phone or ID number), the entry is written with counts only, so the
 * refusal itself is never lost from the log.
 */
export function enqueueSafely(audit: AuditQueue | undefined, entry: AuditInput, log: Logger): void {
  if (!audit) return;
  try {
    audit.enqueue(entry);
  } catch (err) {
    const counts = Object.fromEntries(
      Object.entries(entry.detail ?? {}).filter(([, v]) => typeof v !== 'string' || /^[A-Z_]+$|^[a-z]+$/.test(v)),
    );
    log.warn({ err: String(err), action: entry.action }, 'audit detail withheld');
    audit.enqueue({ ...entry, detail: { ...counts, withheld: 'ids look like personal numbers' } });
  }
}
