import type { GatewayView, LinliEvent } from '@linli/contract';
import type { Alert, AlertService } from '../alerts/index.js';
import type { AuthService } from '../auth/auth-service.js';
import type { CommandService } from '../commands/command-service.js';
import type { FieldService } from '../field/field-service.js';
import type { Logger } from '../log.js';
import type { MediaStore } from '../media/media-store.js';
import type { SqlHubStore } from '../store/sql-hub-store.js';
import { sealRollups } from '../store/rollups/seals.js';
import { ensureEventPartitions } from '../store/sql/partitions.js';
import type { Leadership } from './leadership.js';

const GATEWAY_VIEW_INTERVAL_MS = 2000;
const TICK_MS = 1000;
/** Retention runs once a minute, a bounded chunk at a time (catching up on a large backlog over several minutes). */
const PRUNE_EVERY_MS = 60_000;
const PRUNE_CHUNK = 20_000;
/** Roll-up buckets sealed a minute at most (a day has 4 quarters and itself): a hub back after a month catches up in minutes. */
const SEAL_CHUNK = 24;
export const DEFAULT_RETENTION_DAYS = 180;
/** The leader looks this far back for alarms stored without an alert, leaving the storing node this long to raise them. */
const MISSED_ALARM_WINDOW_MS = 15 * 60_000;
const MISSED_ALARM_GRACE_MS = 5_000;
/**
 * Alarm events stored in [?, ?) with no alert link. The severity test is the
 * partial index's predicate word for word (migration 020), so the sweep reads
 * the alarms of the window, not every event of it.
 */
export const MISSED_ALARMS_SQL = `SELECT e.body FROM events e
  WHERE e.stored_at >= ? AND e.stored_at < ? AND e.severity IN ('warning', 'critical')
    AND NOT EXISTS (SELECT 1 FROM alert_events a WHERE a.event_id = e.id)
  ORDER BY e.stored_at LIMIT 500`;

export interface ChoreDeps {
  store: SqlHubStore;
  nodeId: string;
  leadership: Leadership;
  alerts: AlertService;
  commands: CommandService;
  auth: AuthService;
  media: MediaStore;
  field: FieldService;
  log: Logger;
  retentionDays?: number;
  emitAlert: (a: Alert) => void;
  gatewayViews: () => Promise<GatewayView[]>;
  broadcastGateways: (views: GatewayView[]) => void;
}

/**
 * The hub's timers: every node heartbeats each tick and pushes gateway views to
 * its cockpits; the leader also runs the cluster-wide chores (escalations,
 * command expiry, missed alarms, sealing roll-ups, retention). start() and stop() are symmetric.
 */
export class HubChores {
  private timers: NodeJS.Timeout[] = [];
  private ticking = false;
  private lastPrune = 0;

  constructor(private readonly d: ChoreDeps) {}

  start(): void {
    const { log } = this.d;
    this.timers.push(
      setInterval(
        () =>
          void this.d.gatewayViews().then(
            (v) => this.d.broadcastGateways(v),
            (err: unknown) => log.warn({ err: String(err) }, 'gateway views not read'),
          ),
        GATEWAY_VIEW_INTERVAL_MS,
      ),
      setInterval(() => this.tick(), TICK_MS),
    );
    for (const t of this.timers) t.unref();
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** One tick at a time: a slow database never stacks ticks up. */
  private tick(): void {
    if (this.ticking) return;
    this.ticking = true;
    this.tickOnce()
      .catch((err: unknown) => this.d.log.error({ err: String(err) }, 'hub tick failed'))
      .finally(() => (this.ticking = false));
  }

  private async tickOnce(): Promise<void> {
    const { store, log } = this.d;
    const now = Date.now();
    await store.heartbeat(this.d.nodeId, now);
    // Cluster-wide chores run on one node (the leader); the others only heartbeat.
    if (!(await this.d.leadership.isLeader())) return;
    try {
      for (const a of await this.d.alerts.tick()) this.d.emitAlert(a);
      for (const a of await this.raiseMissedAlarms(now)) this.d.emitAlert(a);
    } catch (err) {
      log.error({ err: String(err) }, 'alert escalation tick failed');
    }
    try {
      await this.d.commands.tick(now);
    } catch (err) {
      log.error({ err: String(err) }, 'command expiry tick failed');
    }
    // Housekeeping once a minute, not every tick: expired sessions are already refused when checked.
    if (now - this.lastPrune >= PRUNE_EVERY_MS) {
      this.lastPrune = now;
      try {
        const sealed = await sealRollups(store.db, now, { limit: SEAL_CHUNK });
        if (sealed) log.info({ buckets: sealed }, 'roll-ups: ended quarter days, days and weeks sealed');
      } catch (err) {
        log.error({ err: String(err) }, 'roll-ups not sealed; the heatmap reads those buckets in hours meanwhile');
      }
      await this.d.auth.sessions.prune(now);
      const days = this.d.retentionDays ?? DEFAULT_RETENTION_DAYS;
      const cutoff = now - days * 86_400_000;
      await ensureEventPartitions(store.db, now);
      const n = await store.pruneEvents(cutoff, PRUNE_CHUNK);
      const pics = await this.d.media.prune(cutoff, PRUNE_CHUNK);
      await this.d.alerts.prune(cutoff, PRUNE_CHUNK);
      // Workers' positions and tracks by their own (shorter) period; field photos like event pictures.
      const field = await this.d.field.prune(now, cutoff, PRUNE_CHUNK);
      if (field.positions || field.photos) log.info(field, 'retention: field positions and photos deleted');
      if (n || pics) log.info({ deleted: n, pictures: pics, retentionDays: days }, 'retention: old events deleted');
    }
  }

  /**
   * Alarms a node stored but did not live to turn into alerts (it died between
   * its commit and raising them): the leader picks up alarm events older than a
   * few seconds with no alert link. Raising is idempotent per event id (under
   * the source's lock), so one that was merely slow is not raised twice.
   */
  private async raiseMissedAlarms(now: number): Promise<Alert[]> {
    const rows = await this.d.store.db.all<{ body: string }>(MISSED_ALARMS_SQL, [
      now - MISSED_ALARM_WINDOW_MS,
      now - MISSED_ALARM_GRACE_MS,
    ]);
    if (!rows.length) return [];
    const events = rows.map((r) => JSON.parse(r.body) as LinliEvent);
    const raised = await this.d.alerts.ingest(events);
    if (raised.length)
      this.d.log.warn({ events: events.length }, 'raised alerts for alarms a node stored but did not raise');
    return raised;
  }
}
