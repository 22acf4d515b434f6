import { Type } from '@sinclair/typebox';
import type { SqlDb } from '../../store/sql/sql-db.js';
import type { Route } from '../route.js';
import { scopeWhere } from './scope-where.js';
import type { ApiDeps } from './deps.js';

/** Ids one request may name: a screenful of alert rows, several times over. */
const MAX_IDS = 200;
const ULID = '[0-9A-HJKMNP-TV-Z]{26}';

/** What raised an alert, so a person reads 烟感燃气告警 · 安全传感器 instead of 本地规则告警. */
export interface AlertSource {
  id: string;
  /** The local rule's name (`rule.alert` payload), null for device alarms. */
  rule: string | null;
  /** The source device's declared type (e.g. di-safety-sensor), null when the gateway never declared it. */
  deviceType: string | null;
}

/**
 * Where each alert came from, for the cockpit's alert titles: the rule that
 * raised a local-rule alert and the declared type of the device it is about.
 * Read from the first alarm (found through the (grid, time) index, never a
 * scan by event id) and the gateway's device declarations; cut to the
 * caller's area like every alert read.
 */
export function alertSourceRoutes(d: ApiDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/alert-sources',
      tag: 'alerts',
      access: 'view',
      summary:
        "The local rule and the source device's type of alerts inside your area (comma-separated ids, up to 200)",
      query: Type.Object(
        { ids: Type.String({ minLength: 26, maxLength: MAX_IDS * 27, pattern: `^${ULID}(,${ULID})*$` }) },
        { additionalProperties: false },
      ),
      handler: async ({ principal, query }) => ({
        ok: true,
        sources: await alertSources(d.store.db, principal.user.areaCode, [
          ...new Set((query.ids as string).split(',')),
        ]),
      }),
    },
  ];
}

/**
 * Both engines run it alike: the first alarm lies in the alert's [first, last]
 * receipt window of its grid (a fold may move first_event_at earlier, never
 * past the first alarm), found through the (grid, time) index; the rule is read in JS.
 */
export async function alertSources(db: SqlDb, areaCode: string, ids: string[]): Promise<AlertSource[]> {
  if (!ids.length) return [];
  const scope = scopeWhere('a.grid_id', areaCode);
  const rows = await db.all<{ id: string; kind: string; body: string | null; type: string | null }>(
    `SELECT a.id AS id, a.kind AS kind, e.body AS body, g.type AS type
     FROM alert_alerts a
     LEFT JOIN events e ON e.grid_id = a.grid_id AND e.received_at >= a.first_event_at
       AND e.received_at <= a.last_event_at AND e.gateway_id = a.gateway_id AND e.id = a.first_event_id
     LEFT JOIN gateway_devices g ON g.gateway_id = a.gateway_id AND g.device_id = a.device_id
     WHERE a.id IN (${ids.map(() => '?').join(', ')}) AND ${scope.sql}`,
    [...ids, ...scope.params],
  );
  return rows.map((r) => ({ id: r.id, rule: r.kind === 'rule.alert' ? ruleOf(r.body) : null, deviceType: r.type }));
}

function ruleOf(body: string | null): string | null {
  if (!body) return null;
  try {
    const rule = (JSON.parse(body) as { payload?: { rule?: unknown } }).payload?.rule;
    return typeof rule === 'string' ? rule : null;
  } catch {
    return null;
  }
}
