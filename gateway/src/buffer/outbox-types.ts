import type { EventDraft, LinliEvent, Location } from '@linli/contract';
import type { Durability } from './buffer-db.js';

export type ProblemLevel = 'error' | 'warn' | 'info';

export interface OutboxOptions {
  file: string;
  gatewayId: string;
  synchronous: Durability;
  /** Limit on buffered event bytes (the JSON bodies). Telemetry is evicted oldest-first beyond it. */
  maxBytes?: number;
  /** Telemetry older than this is evicted by `maintain()`. Alarms never expire. */
  maxAgeMs?: number;
  /** Space reserved beside the database so eviction can still run on a full disk. 0 disables. */
  ballastBytes?: number;
  /** The gateway's own location, for the events it raises about itself. */
  location?: Location;
  /** Injectable clock (tests simulate days of outage). */
  now?: () => number;
  /** What the buffer has to say about itself; `error` unless given. */
  onProblem?: (msg: string, fields: Record<string, unknown>, level?: ProblemLevel) => void;
}

export interface OutboxStats {
  depth: number;
  /** Of `depth`, how many are telemetry (evictable). */
  telemetry: number;
  bytes: number;
  lastSeq: number;
  oldestReceivedAt: number | null;
  evictedTelemetry: number;
  refusedAlarms: number;
  refusedTelemetry: number;
  diskFull: boolean;
}

/** The buffer's events for its subscribers (see EventBus: each listener is isolated). */
export interface OutboxEvents {
  /** Events just committed, in sequence order. */
  append: [LinliEvent[]];
}

/** One enqueued draft waiting for its group commit. */
export interface Pending {
  draft: EventDraft;
  location: Location;
  receivedAt: number;
  resolve: (e: LinliEvent) => void;
  reject: (err: unknown) => void;
  /** The gateway's own report: never counted as a refusal of itself. */
  internal?: boolean;
  /** Runs inside the transaction that stores this event (a report clears the counts it carries). */
  inTx?: () => void;
}
