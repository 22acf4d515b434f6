import type { EvictedRange, GatewayStatus, LinliEvent } from '@linli/contract';

export interface IngestResult {
  /** Everything of this gateway up to here is durably stored, or was declared evicted by the gateway. */
  ackSeq: number;
  /** Events new to the hub (not already delivered, e.g. on the live lane), in sequence order. */
  inserted: LinliEvent[];
  duplicates: number;
  /** Sequences the gateway declared evicted that the hub never received. */
  lost: number;
  /** The batch skipped a sequence; the gateway resends from ackSeq + 1. */
  gap: boolean;
}

export interface GatewayRecord {
  id: string;
  tokenHash: string;
  lastSeq: number;
  revoked: boolean;
  /** The area (usually a community) the gateway serves; null for gateways added before areas. */
  areaCode: string | null;
}

export interface GatewayState {
  id: string;
  watermark: number;
  status: GatewayStatus | null;
  statusAt: number | null;
  clockSkewMs: number | null;
  lostTelemetry: number;
  areaCode: string | null;
}

/**
 * The hub's storage. SQLite is the default; a PostgreSQL implementation will
 * satisfy the same interface and the same conformance tests.
 */
export interface HubStore {
  /**
   * The backlog lane: stores a batch atomically in sequence order, deduplicating
   * by (gateway, seq), moving the watermark across declared evictions; commits
   * durably before returning.
   */
  ingest(gatewayId: string, events: LinliEvent[], evicted?: EvictedRange[]): IngestResult;
  /** The live lane: stores alarms ahead of the watermark (which does not move). Returns those new to the hub. */
  ingestLive(gatewayId: string, events: LinliEvent[]): LinliEvent[];
  lastSeq(gatewayId: string): number;
  gateway(id: string): GatewayRecord | null;
  /** Creates or re-keys a gateway; the token itself is never stored. */
  upsertGateway(id: string, tokenHash: string, areaCode?: string | null): void;
  /**
   * Retention: deletes up to `limit` events stored before `olderThan` (ms), oldest first; returns how many.
   * The per-gateway watermark is untouched, so a late resend of a pruned event is still a duplicate.
   */
  pruneEvents(olderThan: number, limit: number): number;
  /** A revoked gateway is refused at its next handshake and disconnected now by the hub. */
  revokeGateway(id: string): boolean;
  recordStatus(gatewayId: string, status: GatewayStatus, hubNow: number): void;
  gatewayStates(): GatewayState[];
  /** Newest events whose grid code starts with `scopePrefix` ('' = all), oldest first. */
  recentEvents(limit: number, scopePrefix?: string): LinliEvent[];
  /** A gateway's event by sequence (a primary-key lookup): its id and grid, or null if the hub does not have it. */
  eventRefAt(gatewayId: string, seq: number): { id: string; gridId: string } | null;
  setSetting(key: string, value: string): void;
  getSetting(key: string): string | null;
  close(): void;
}
