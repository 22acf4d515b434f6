import type { LinliEvent } from '@linli/contract';

export interface IngestResult {
  /** Everything of this gateway up to here is durably stored. */
  ackSeq: number;
  /** Events new to the hub (duplicates of earlier deliveries excluded), in sequence order. */
  inserted: LinliEvent[];
  duplicates: number;
  /** The batch skipped a sequence; the gateway resends from ackSeq + 1. */
  gap: boolean;
}

export interface GatewayRecord {
  id: string;
  tokenHash: string;
  lastSeq: number;
  revoked: boolean;
}

/**
 * The hub's storage. SQLite is the default; a PostgreSQL implementation will
 * satisfy the same interface and the same conformance tests.
 */
export interface HubStore {
  /** Stores a batch atomically, deduplicating by (gateway, seq); commits durably before returning. */
  ingest(gatewayId: string, events: LinliEvent[]): IngestResult;
  lastSeq(gatewayId: string): number;
  gateway(id: string): GatewayRecord | null;
  /** Creates or re-keys a gateway; the token itself is never stored. */
  upsertGateway(id: string, tokenHash: string): void;
  recentEvents(limit: number): LinliEvent[];
  setSetting(key: string, value: string): void;
  getSetting(key: string): string | null;
  close(): void;
}
