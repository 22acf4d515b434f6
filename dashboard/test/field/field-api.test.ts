import { expect, it } from 'vitest';
import { AREAS, eventAt } from '../../../test/helpers/hub-fixture.js';
import { untilAsync } from '../../../test/helpers/processes.js';
import { describeHubOnEachDialect } from '../insider/insider-hub.js';
import { JPEG, phone, pointIn } from './field-fixtures.js';

interface Alert {
  id: string;
  state: string;
  version: number;
  kind: string;
  gridId: string;
  level: number;
  firstEventId: string;
}

/**
 * Issue 19, the hub's half: a dispatched alert reaches the named worker live,
 * each step of theirs is in the history and reaches the cockpit; matters open
 * alerts in the right grid with their photos; every action is applied exactly
 * once, in order; an unattended matter escalates like any alert. Patrol
 * check-ins: field-checkins.test.ts; the phone's grids: field-grids.test.ts.
 */
describeHubOnEachDialect(
  'field work over the REST API',
  (ctx) => {
    it('dispatch → accept → on my way → arrive → resolve with a photo, live to the worker and the cockpit', async () => {
      const { h } = ctx;
      const op = await h.user(`op-${ctx.dialect}`, 'city_operator', AREAS.city);
      const worker = await h.user(`gw-a1-${ctx.dialect}`, 'grid_worker', AREAS.gridA1);
      const gwId = `gw-field-${ctx.dialect}`;
      const gw = await h.gatewaySocket(gwId, await h.gateway(gwId, AREAS.communityA));
      const cockpit = await h.cockpitSocket(op.token);
      // The phone's socket joins only its user's room: tasks, not the grid's live events.
      const phoneSocket = h.connect('/cockpit', { key: worker.token, field: true });
      await new Promise<void>((resolve, reject) => {
        phoneSocket.once('connect', () => resolve());
        phoneSocket.once('connect_error', reject);
      });
      const phoneEvents: unknown[] = [];
      phoneSocket.on('events', (b: unknown[]) => phoneEvents.push(...b));
      const seenByCockpit: Alert[] = [];
      const seenByPhone: Alert[] = [];
      cockpit.socket.on('alert', (a: Alert) => seenByCockpit.push(a));
      phoneSocket.on('alert', (a: Alert) => seenByPhone.push(a));

      const alarm = eventAt(gwId, AREAS.gridA1, 'smoke.alarm', {
        location: { ...pointIn(AREAS.gridA1), gridId: AREAS.gridA1 },
      } as never);
      expect(await gw.timeout(10_000).emitWithAck('events', { events: [alarm] })).toMatchObject({ ok: true });
      const alert = await untilAsync(async () => {
        const r = await h.api('GET', '/api/alerts', { token: op.token });
        return (r.body.alerts as Alert[]).find((a) => a.firstEventId === alarm.id);
      }, 'alert raised');

      const suggest = await h.api('GET', `/api/field/suggest/${alert.id}`, { token: op.token });
      expect(suggest.body.candidates[0]).toMatchObject({ userId: worker.user.id, reason: 'grid' });
      const sent = await h.api('POST', `/api/alerts/${alert.id}/dispatch`, {
        token: op.token,
        body: { assignee: { type: 'user', id: worker.user.id } },
      });
      expect(sent.status).toBe(200);
      await untilAsync(
        async () => seenByPhone.find((a) => a.id === alert.id && a.state === 'dispatched'),
        'phone told',
      );
      await untilAsync(async () => cockpit.events.some((e) => e.id === alarm.id), 'cockpit got the event');
      expect(phoneEvents).toEqual([]);
      const tasks = await h.api('GET', '/api/field/tasks', { token: worker.token });
      expect(tasks.body.tasks.map((t: Alert) => t.id)).toContain(alert.id);

      const p = phone();
      const here = pointIn(AREAS.gridA1);
      const far = pointIn(AREAS.gridA1, 5000);
      const reply = await h.api('POST', '/api/field/actions', {
        token: worker.token,
        body: {
          deviceId: p.deviceId,
          actions: [
            p.action('task.accept', { alertId: alert.id }),
            p.action('task.en_route', { alertId: alert.id, position: far }),
            p.action('task.arrive', { alertId: alert.id, position: far }),
            p.action('task.arrive', { alertId: alert.id, position: here }),
            p.action('task.resolve', {
              alertId: alert.id,
              note: '现场为厨房油烟，已处理',
              photos: [{ contentType: 'image/jpeg', data: JPEG }],
            }),
          ],
        },
      });
      expect(reply.status).toBe(200);
      expect(reply.body.results.map((r: { status: string }) => r.status)).toEqual([
        'applied',
        'applied',
        'refused',
        'applied',
        'applied',
      ]);
      expect(reply.body.results[2]).toMatchObject({ code: 'FIELD_NOT_THERE' });
      const history = (await h.api('GET', `/api/alerts/${alert.id}/history`, { token: op.token })).body.history as {
        action: string;
        actor: string;
      }[];
      expect(history.map((e) => e.action)).toEqual([
        'raise',
        'dispatch',
        'acknowledge',
        'en_route',
        'arrive',
        'resolve',
      ]);
      const final = await untilAsync(
        async () => seenByCockpit.find((a) => a.id === alert.id && a.state === 'resolved'),
        'cockpit sees resolved',
      );
      // Every step reached the cockpit as a new version: dispatch, accept, on my way, arrived, resolved.
      const versions = new Set(seenByCockpit.filter((a) => a.id === alert.id).map((a) => a.version));
      expect(versions.size).toBeGreaterThanOrEqual(5);
      const task = (await h.api('GET', '/api/field/tasks', { token: worker.token })).body.tasks.find(
        (t: Alert) => t.id === final.id,
      );
      expect(task.photos).toHaveLength(1);
      const pic = await h.api('GET', `/api/field/photos/${task.photos[0].id}`, { token: op.token });
      expect(pic.status).toBe(200);
      expect(pic.headers.get('content-type')).toBe('image/jpeg');
      await h.hub.services.auditLog.flush();
      const opened = await h.store.db.all<{ action: string }>(
        "SELECT action FROM audit_log WHERE action = 'field:photo-open' AND user_id = ?",
        [op.user.id],
      );
      expect(opened).toHaveLength(1);

      // The evaluation figures count the worker's accept and resolve, and export as CSV.
      const review = await h.api('GET', '/api/field/review', { token: op.token });
      const row = (review.body.workers as { key: string; handled: number; medianAcceptMs: number | null }[]).find(
        (w) => w.key === worker.user.id,
      )!;
      expect(row.handled).toBe(1);
      expect(row.medianAcceptMs).not.toBeNull();
      const csv = await h.api('GET', '/api/field/review?format=csv', { token: op.token });
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      expect(csv.body as string).toContain(`网格员 worker,${worker.user.id},${worker.user.displayName},`);
    });

    it('applies every action exactly once and in order, whatever order and however often it arrives', async () => {
      const { h } = ctx;
      const worker = await h.user(`gw-once-${ctx.dialect}`, 'grid_worker', AREAS.gridA1);
      const p = phone();
      const actions = [
        p.action('matter.report', {
          category: '环境卫生',
          description: '垃圾桶满溢',
          position: pointIn(AREAS.gridA1),
          photos: [
            { contentType: 'image/jpeg', data: JPEG },
            { contentType: 'image/jpeg', data: JPEG },
          ],
        }),
        p.action('matter.report', {
          category: '设施损坏',
          description: '路灯不亮',
          position: pointIn(AREAS.gridA1, 30),
        }),
        p.action('matter.report', { category: '其他', description: '第三件', position: pointIn(AREAS.gridA1, -30) }),
      ];
      // The third alone first: a gap, nothing applied.
      const gap = await h.api('POST', '/api/field/actions', {
        token: worker.token,
        body: { deviceId: p.deviceId, actions: [actions[2]] },
      });
      expect(gap.body.results[0]).toMatchObject({
        status: 'out_of_order',
        code: 'FIELD_SEQ_GAP',
        data: { expectedSeq: 1 },
      });
      // All three reversed: applied in sequence order.
      const first = await h.api('POST', '/api/field/actions', {
        token: worker.token,
        body: { deviceId: p.deviceId, actions: [...actions].reverse() },
      });
      expect(first.body.results.map((r: { seq: number; status: string }) => `${r.seq}:${r.status}`)).toEqual([
        '1:applied',
        '2:applied',
        '3:applied',
      ]);
      expect(first.body.lastSeq).toBe(3);
      // Replayed (the reply was lost): duplicates, with the first answer's data.
      const again = await h.api('POST', '/api/field/actions', {
        token: worker.token,
        body: { deviceId: p.deviceId, actions },
      });
      expect(again.body.results.map((r: { status: string }) => r.status)).toEqual([
        'duplicate',
        'duplicate',
        'duplicate',
      ]);
      expect(again.body.results[0].data.alertId).toBe(first.body.results[0].data.alertId);
      const mine = await h.store.db.all<{ n: number }>(
        'SELECT count(*) AS n FROM field_matters WHERE reported_by = ?',
        [worker.user.id],
      );
      expect(Number(mine[0]!.n)).toBe(3);
      const matters = (await h.api('GET', '/api/field/matters', { token: worker.token })).body.matters as (Alert & {
        category: string;
      })[];
      const m = matters.find((x) => x.id === first.body.results[0].data.alertId)!;
      expect(m).toMatchObject({ kind: 'field.matter', gridId: AREAS.gridA1, category: '环境卫生', state: 'raised' });
      const photos = await h.store.db.all('SELECT id FROM field_photos WHERE alert_id = ?', [m.id]);
      expect(photos).toHaveLength(2);
      // A worker of another grid does not see the matter, nor open its photo.
      const other = await h.user(`gw-b1-${ctx.dialect}`, 'grid_worker', AREAS.gridB1);
      const theirs = (await h.api('GET', '/api/field/matters', { token: other.token })).body.matters as Alert[];
      expect(theirs.find((x) => x.id === m.id)).toBeUndefined();
      const refused = await h.api('GET', `/api/field/photos/${(photos[0] as { id: string }).id}`, {
        token: other.token,
      });
      expect(refused.status).toBe(404);
    });

    it('escalates a matter nobody dispatches within its SLA', async () => {
      const { h } = ctx;
      const op = await h.user(`op-sla-${ctx.dialect}`, 'city_operator', AREAS.city);
      const worker = await h.user(`gw-sla-${ctx.dialect}`, 'grid_worker', AREAS.gridA2);
      const p = phone();
      const r = await h.api('POST', '/api/field/actions', {
        token: worker.token,
        body: {
          deviceId: p.deviceId,
          actions: [
            p.action('matter.report', {
              category: '安全隐患',
              description: '井盖缺失',
              position: pointIn(AREAS.gridA2),
            }),
          ],
        },
      });
      const id = r.body.results[0].data.alertId as string;
      const escalated = await untilAsync(async () => {
        const a = (await h.api('GET', `/api/alerts/${id}`, { token: op.token })).body.alert as Alert;
        return a.level >= 1 ? a : null;
      }, 'matter escalated');
      expect(escalated.state).toBe('raised');
      const history = (await h.api('GET', `/api/alerts/${id}/history`, { token: op.token })).body.history as {
        action: string;
        text: string;
      }[];
      expect(history.find((e) => e.action === 'escalate')?.text).toMatch(/^超过派发时限/);

      // Dispatched to the worker, who does not accept in time: it escalates again, still waiting for them.
      const sent = await h.api('POST', `/api/alerts/${id}/dispatch`, {
        token: op.token,
        body: { assignee: { type: 'user', id: worker.user.id } },
      });
      expect(sent.status).toBe(200);
      const again = await untilAsync(async () => {
        const a = (await h.api('GET', `/api/alerts/${id}`, { token: op.token })).body.alert as Alert;
        return a.level >= 2 ? a : null;
      }, 'unaccepted matter escalated');
      expect(again.state).toBe('dispatched');
      const later = (await h.api('GET', `/api/alerts/${id}/history`, { token: op.token })).body.history as {
        action: string;
        text: string;
      }[];
      expect(later.filter((e) => e.action === 'escalate').at(-1)?.text).toMatch(/^超过签收时限/);
    });
  },
  { hub: { alertConfig: { sla: { rules: [{ kind: 'field.matter', dispatchMs: 1000, acknowledgeMs: 1000 }] } } } },
);
