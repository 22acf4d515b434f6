import type { EvictedRange, GatewayStatus, LinliEvent } from '@linli/contract';
import type { SqlDb } from './sql/sql-db.js';

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
  /** Refused sequences (authority) the watermark moved across now: counted, never stored. */
  rejected: number[];
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
  /** Connected to a hub node whose heartbeat is fresh (any node, not only this one). */
  connected: boolean;
}

/**
 * The hub's event and gateway storage, over SqlDb: SQLite for one node,
 * PostgreSQL for several. Both pass the same conformance suite
 * (dashboard/test/store/hub-store.conformance.test.ts). The database is the
 * single source of truth: nothing here is cached in a node's memory.
 */
export interface HubStore {
  readonly db: SqlDb;
  /**
   * The backlog lane: stores a batch atomically in sequence order, deduplicating
   * by (gateway, seq), moving the watermark across declared evictions; commits
   * durably before returning. Two nodes ingesting for one gateway at once take turns.
   * `refused` sequences (events refused for authority) are moved across like
   * evictions but counted as rejected, so a refused event never blocks the backlog.
   */
  ingest(gatewayId: string, events: LinliEvent[], evicted?: EvictedRange[], refused?: number[]): Promise<IngestResult>;
  /** The live lane: stores alarms ahead of the watermark (which does not move). Returns those new to the hub. */
  ingestLive(gatewayId: string, events: LinliEvent[]): Promise<LinliEvent[]>;
  lastSeq(gatewayId: string): Promise<number>;
  gateway(id: string): Promise<GatewayRecord | null>;
  /** Creates or re-keys a gateway; the token itself is never stored. */
  upsertGateway(id: string, tokenHash: string, areaCode?: string | null): Promise<void>;
  /**
   * Retention: deletes events stored before `olderThan` (ms), oldest first, at most about `limit`
   * rows per call (PostgreSQL drops whole days at once); returns how many.
   * The per-gateway watermark is untouched, so a late resend of a pruned event is still a duplicate.
   */
  pruneEvents(olderThan: number, limit: number): Promise<number>;
  /** A revoked gateway is refused at its next handshake and disconnected now by the hub. */
  revokeGateway(id: string): Promise<boolean>;
  recordStatus(gatewayId: string, status: GatewayStatus, hubNow: number): Promise<void>;
  /** Every gateway; `connected` counts nodes whose heartbeat is newer than `aliveSince`. */
  gatewayStates(aliveSince: number): Promise<GatewayState[]>;
  /** Newest events whose grid code starts with `scopePrefix` ('' = all), oldest first. */
  recentEvents(limit: number, scopePrefix?: string): Promise<LinliEvent[]>;
  /** A gateway's event by sequence: its id and grid, or null if the hub does not have it. */
  eventRefAt(gatewayId: string, seq: number): Promise<{ id: string; gridId: string } | null>;
  /** This node now holds (or, with null, let go of) the gateway's connection. */
  setGatewayNode(gatewayId: string, nodeId: string | null, ifNodeId?: string): Promise<void>;
  /** A node's heartbeat; returns nothing. */
  heartbeat(nodeId: string, now: number): Promise<void>;
  setSetting(key: string, value: string): Promise<void>;
  getSetting(key: string): Promise<string | null>;
  close(): Promise<void>;
}
