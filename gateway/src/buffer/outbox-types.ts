import type { Location } from '@linli/contract';
import type { Durability } from './buffer-db.js';

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
  onProblem?: (msg: string, fields: Record<string, unknown>) => void;
}

export interface OutboxStats {
  depth: number;
  bytes: number;
  lastSeq: number;
  oldestReceivedAt: number | null;
  evictedTelemetry: number;
  refusedAlarms: number;
  refusedTelemetry: number;
  diskFull: boolean;
}
