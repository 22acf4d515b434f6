import type { FieldAction, FieldBatch, FieldBatchReply, FieldResult, FieldUpdate } from '@linli/contract';
import type { AreaIndex } from '@linli/geo';
import { type Alert, AlertService } from '../alerts/index.js';
import type { SqlDb, SqlExec } from '../store/sql/sql-db.js';
import type { ActionContext, ActionData, FieldUser } from './action-context.js';
import type { FieldConfig } from './config.js';
import { asRefusal } from './errors.js';
import { reportMatter } from './matter-action.js';
import { applyPatrolAction } from './patrol-actions.js';
import { FieldPhotoStore } from './photo-store.js';
import { applyTaskAction } from './task-actions.js';
import { txDb } from './tx-db.js';

export interface BatchDeps {
  db: SqlDb;
  areas: AreaIndex;
  config: FieldConfig;
  /** The alert configuration (parsed), for services built inside the action's transaction. */
  alertConfig: AlertService['config'];
  now: () => number;
  newId: (time: number) => string;
}

/** What committed actions changed, for the caller to broadcast. */
export interface BatchEffects {
  alerts: Alert[];
  updates: FieldUpdate[];
}

function run(ctx: ActionContext, a: FieldAction): Promise<ActionData> {
  if (a.type === 'matter.report') return reportMatter(ctx, a);
  if (a.type.startsWith('task.')) return applyTaskAction(ctx, a as Extract<FieldAction, { type: `task.${string}` }>);
  return applyPatrolAction(ctx, a as Extract<FieldAction, { type: `patrol.${string}` }>);
}

async function lastSeq(t: SqlExec, userId: string, deviceId: string): Promise<number> {
  const r = await t.get<{ last_seq: number }>(
    'SELECT last_seq FROM field_devices WHERE user_id = ? AND device_id = ?',
    [userId, deviceId],
  );
  return r ? Number(r.last_seq) : 0;
}

/**
 * Applies a phone's batch exactly once and in order. Actions are sorted by
 * their per-device sequence; each runs in its own transaction under the
 * device's lock, together with its record (`field_actions`, keyed by the
 * client id), so a replayed action finds its record and is answered
 * `duplicate` with the first answer's data. A gap stops the batch (`out_of_order`,
 * expecting the missing sequence). A refusal (too far, not your task) is
 * rolled back to a savepoint, recorded, and moves the sequence on.
 */
export async function applyBatch(
  deps: BatchDeps,
  user: FieldUser,
  batch: FieldBatch,
): Promise<{ reply: FieldBatchReply; effects: BatchEffects }> {
  const effects: BatchEffects = { alerts: [], updates: [] };
  const results: FieldResult[] = [];
  const sorted = [...batch.actions].sort((x, y) => x.seq - y.seq);
  for (const a of sorted) {
    const out = await deps.db.tx(async (t) => {
      await t.lock(`field-device:${user.id}|${batch.deviceId}`);
      const prior = await t.get<{ result: string }>(
        'SELECT result FROM field_actions WHERE user_id = ? AND client_id = ?',
        [user.id, a.clientId],
      );
      if (prior) return { result: { ...(JSON.parse(prior.result) as FieldResult), status: 'duplicate' as const } };
      const last = await lastSeq(t, user.id, batch.deviceId);
      if (a.seq !== last + 1)
        return {
          result: {
            clientId: a.clientId,
            seq: a.seq,
            status: 'out_of_order' as const,
            code: a.seq <= last ? 'FIELD_SEQ_REUSED' : 'FIELD_SEQ_GAP',
            message: `expected sequence ${last + 1} from this device`,
            data: { expectedSeq: last + 1 },
          },
        };
      const now = deps.now();
      const ctx: ActionContext = {
        t,
        alerts: new AlertService(txDb(t, deps.db.describe), { config: deps.alertConfig, now: () => now }),
        photos: new FieldPhotoStore(t),
        areas: deps.areas,
        config: deps.config,
        user,
        now,
        newId: () => deps.newId(now),
        changed: [],
        updates: [],
      };
      let result: FieldResult;
      await t.exec('SAVEPOINT field_action');
      try {
        const data = await run(ctx, a);
        await t.exec('RELEASE SAVEPOINT field_action');
        result = { clientId: a.clientId, seq: a.seq, status: 'applied', data };
      } catch (err) {
        const refusal = asRefusal(err);
        if (!refusal) throw err;
        await t.exec('ROLLBACK TO SAVEPOINT field_action; RELEASE SAVEPOINT field_action');
        ctx.changed.length = 0;
        ctx.updates.length = 0;
        result = {
          ...{ clientId: a.clientId, seq: a.seq, status: 'refused', code: refusal.code, message: refusal.message },
          ...(refusal.data ? { data: refusal.data } : {}),
        };
      }
      await t.run(
        `INSERT INTO field_devices (user_id, device_id, last_seq) VALUES (?, ?, ?)
         ON CONFLICT (user_id, device_id) DO UPDATE SET last_seq = excluded.last_seq`,
        [user.id, batch.deviceId, a.seq],
      );
      await t.run(
        `INSERT INTO field_actions (user_id, client_id, device_id, seq, type, at, applied_at, status, result)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [user.id, a.clientId, batch.deviceId, a.seq, a.type, a.at, now, result.status, JSON.stringify(result)],
      );
      return { result, changed: ctx.changed, updates: ctx.updates };
    });
    results.push(out.result);
    if ('changed' in out && out.changed && out.updates) {
      effects.alerts.push(...out.changed);
      effects.updates.push(...out.updates);
    }
    if (out.result.status === 'out_of_order') break;
  }
  const reply: FieldBatchReply = {
    ok: true,
    results,
    lastSeq: await lastSeq(deps.db, user.id, batch.deviceId),
  };
  return { reply, effects };
}
