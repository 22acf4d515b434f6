import { createIdFactory, type FieldBatch } from '@linli/contract';
import type { AreaIndex } from '@linli/geo';
import { type Alert, type AlertService } from '../alerts/index.js';
import { AlertTables } from '../alerts/alert-tables.js';
import { toAlert } from '../alerts/rows.js';
import { scopeSql } from '../alerts/scope.js';
import type { User } from '../auth/users.js';
import type { SqlDb } from '../store/sql/sql-db.js';
import type { FieldUser } from './action-context.js';
import { applyBatch } from './apply-batch.js';
import { type FieldConfig, parseFieldConfig } from './config.js';
import { metresBetween } from './distance.js';
import { FIELD_SOURCE, MATTER_KIND } from './matter-action.js';
import { type FieldPhotoMeta, FieldPhotoStore } from './photo-store.js';
import { prunePositions, visibleWorkers } from './positions.js';
import { PatrolRoutes } from './routes-store.js';

export interface FieldServiceOptions {
  /** Operator settings (categories, check-in radius, retention); validated, defaults filled in. */
  config?: unknown;
  now?: () => number;
}

/** A task as the phone shows it: the alert, the matter's words if it is one, its photos. */
export interface FieldTask extends Alert {
  matter: { category: string; description: string; reportedBy: string; positionSource: 'gps' | 'pin' } | null;
  photos: FieldPhotoMeta[];
}

const SEVERITY_RANK: Record<string, number> = { critical: 3, warning: 2, notice: 1, info: 0 };

/**
 * Field work over the hub database: phone actions (exactly once, in order),
 * tasks, matters, patrol routes, who is on patrol, retention. Area scope is
 * applied here, below the REST layer, like the alert service's.
 */
export class FieldService {
  readonly config: FieldConfig;
  readonly photos: FieldPhotoStore;
  readonly routes: PatrolRoutes;
  private readonly now: () => number;
  private readonly newId = createIdFactory();

  constructor(
    private readonly db: SqlDb,
    /** The active city's index, read at each call (a newly activated city applies at once). */
    private readonly areas: () => AreaIndex,
    private readonly alerts: AlertService,
    opts: FieldServiceOptions = {},
  ) {
    this.config = parseFieldConfig(opts.config ?? {});
    this.now = opts.now ?? Date.now;
    this.photos = new FieldPhotoStore(db);
    this.routes = new PatrolRoutes(db, areas);
  }

  /** Applies a phone's batch; see apply-batch.ts. */
  submit(user: FieldUser, batch: FieldBatch) {
    return applyBatch(
      {
        ...{ db: this.db, areas: this.areas(), config: this.config, alertConfig: this.alerts.config },
        ...{ now: this.now, newId: (t: number) => this.newId(t) },
      },
      user,
      batch,
    );
  }

  newRouteId = (): string => this.newId(this.now());

  /** Open tasks dispatched to the user, and those resolved in the last day; the most urgent first. */
  async tasks(userId: string): Promise<FieldTask[]> {
    const rows = await new AlertTables(this.db).select(
      ["assignee_type = 'user'", 'assignee_id = ?', "(state <> 'resolved' OR state_since >= ?)"],
      [userId, this.now() - 24 * 3600_000],
      200,
    );
    const alerts = rows
      .map(toAlert)
      .sort(
        (a, b) =>
          Number(a.state === 'resolved') - Number(b.state === 'resolved') ||
          b.level - a.level ||
          (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0) ||
          b.raisedAt - a.raisedAt,
      );
    return Promise.all(alerts.map((a) => this.withMatter(a)));
  }

  /** The alert with its matter and photos (for the phone and the cockpit's detail). */
  async withMatter(a: Alert): Promise<FieldTask> {
    const m =
      a.kind === MATTER_KIND
        ? await this.db.get<{ category: string; description: string; reported_by: string; position_source: string }>(
            'SELECT category, description, reported_by, position_source FROM field_matters WHERE alert_id = ?',
            [a.id],
          )
        : undefined;
    return {
      ...a,
      matter: m
        ? {
            ...{ category: m.category, description: m.description, reportedBy: m.reported_by },
            positionSource: m.position_source === 'pin' ? ('pin' as const) : ('gps' as const),
          }
        : null,
      photos: await this.photos.ofAlert(a.id),
    };
  }

  /** True when the alert is dispatched to this user. */
  async isAssignee(alertId: string, userId: string): Promise<boolean> {
    const r = await this.db.get<{ one: number }>(
      "SELECT 1 AS one FROM alert_alerts WHERE id = ? AND assignee_type = 'user' AND assignee_id = ?",
      [alertId, userId],
    );
    return !!r;
  }

  /** Matters inside `scope` (open only unless `all`), newest first, with their category. */
  async matters(scope: readonly string[], all = false, limit = 500) {
    const s = scopeSql('a.grid_id', scope);
    const rows = await this.db.all<Record<string, unknown> & { category: string; description: string }>(
      `SELECT a.*, m.category, m.description FROM alert_alerts a JOIN field_matters m ON m.alert_id = a.id
       WHERE a.gateway_id = ? AND ${s.sql} ${all ? '' : "AND a.state <> 'resolved'"}
       ORDER BY a.raised_at DESC LIMIT ?`,
      [FIELD_SOURCE, ...s.params, limit],
    );
    return rows.map((r) => ({
      ...toAlert(r as never),
      category: r.category,
      description: r.description,
    }));
  }

  /** Workers on patrol or on a task inside `scope`, with their last position and its age. */
  async workers(scope: readonly string[], names: (id: string) => Promise<User | null>) {
    const now = this.now();
    const list = await visibleWorkers(this.db, scope, now - this.config.positionStaleMs);
    return Promise.all(
      list.map(async (w) => ({ ...w, name: (await names(w.userId))?.displayName ?? '网格员', ageMs: now - w.at })),
    );
  }

  /**
   * Whom to dispatch an alert to: the workers of its grid first, then the
   * nearest workers on patrol inside `scope`.
   */
  async suggest(alert: Alert, scope: readonly string[], users: readonly User[]) {
    const inScope = (u: User) => scope.some((p) => u.areaCode.startsWith(p));
    const gridWorkers = users
      .filter((u) => !u.disabled && u.role === 'grid_worker' && u.areaCode === alert.gridId)
      .map((u) => ({ userId: u.id, name: u.displayName, reason: 'grid' as const, distanceM: null as number | null }));
    const byId = new Map(users.map((u) => [u.id, u]));
    const patrolling = (await visibleWorkers(this.db, scope, this.now() - this.config.positionStaleMs))
      .filter((w) => w.patrolId !== null && byId.get(w.userId) && inScope(byId.get(w.userId)!))
      .filter((w) => !gridWorkers.some((g) => g.userId === w.userId))
      .map((w) => ({
        userId: w.userId,
        name: byId.get(w.userId)!.displayName,
        reason: 'patrol' as const,
        distanceM: Math.round(metresBetween(w, alert)),
      }))
      .sort((a, b) => a.distanceM - b.distanceM);
    return [...gridWorkers, ...patrolling];
  }

  /** Patrols inside `scope` started at or after `from`, with their tracks and check-ins. */
  async patrols(scope: readonly string[], from: number) {
    const s = scopeSql('grid_id', scope);
    const rows = await this.db.all<{
      id: string;
      user_id: string;
      route_id: string | null;
      grid_id: string;
      started_at: number;
      ended_at: number | null;
    }>(`SELECT * FROM field_patrols WHERE ${s.sql} AND started_at >= ? ORDER BY started_at LIMIT 2000`, [
      ...s.params,
      from,
    ]);
    const out = [];
    for (const p of rows) {
      const track = await this.db.all<{ at: number; lng: number; lat: number }>(
        'SELECT at, lng, lat FROM field_track WHERE patrol_id = ? ORDER BY at',
        [p.id],
      );
      const checkins = await this.db.all<{ point_id: string; at: number; distance_m: number }>(
        'SELECT point_id, at, distance_m FROM field_checkins WHERE patrol_id = ? ORDER BY at',
        [p.id],
      );
      out.push({
        ...{ id: p.id, userId: p.user_id, routeId: p.route_id, gridId: p.grid_id },
        ...{ startedAt: p.started_at, endedAt: p.ended_at },
        track: track.map((t) => [t.lng, t.lat, t.at] as [number, number, number]),
        checkins: checkins.map((c) => ({ pointId: c.point_id, at: c.at, distanceM: Math.round(c.distance_m) })),
      });
    }
    return out;
  }

  /**
   * Recorded patrol tracks of one day inside `scope`, shaped like the
   * cockpit's demo patrols (api/routes/cockpit-geo.ts PatrolTrack): seconds
   * since `dayStart`, labelled with the worker's display name.
   */
  async dayTracks(scope: readonly string[], dayStart: number, names?: (id: string) => Promise<string>) {
    const out = [];
    for (const p of await this.patrols(scope, dayStart)) {
      const inDay = p.track.filter(([, , at]) => at >= dayStart && at < dayStart + 86_400_000);
      if (inDay.length < 2) continue;
      out.push({
        grid: p.gridId,
        worker: names ? await names(p.userId) : '网格员',
        path: inDay.map(([lng, lat]) => [lng, lat] as [number, number]),
        timestamps: inDay.map(([, , at]) => Math.round((at - dayStart) / 1000)),
        real: true,
      });
    }
    return out;
  }

  /** Retention chore: positions and tracks older than the configured days, and field photos older than `photoCutoff`. */
  async prune(now: number, photoCutoff: number, chunk: number): Promise<{ positions: number; photos: number }> {
    const positions = await prunePositions(this.db, now - this.config.positionRetentionDays * 86_400_000, chunk);
    const photos = await this.photos.prune(photoCutoff, chunk);
    return { positions, photos };
  }
}
