import { expect, it } from 'vitest';
import { AREAS, eventAt } from '../../../test/helpers/hub-fixture.js';
import { untilAsync } from '../../../test/helpers/processes.js';
import { systemText } from '../../src/alerts/history-text.js';
import { ALERT_ACTIONS, ALERT_STATES, type HistoryEntry } from '../../src/alerts/types.js';
import { describeHubOnEachDialect } from './insider-hub.js';

interface Entry {
  action: string;
  actor: string;
  actorName: string;
  text: string | null;
}

/** Any Latin letter: the hub's own history text is Chinese only (ids stay in `actor` and `note`). */
const LATIN = /[A-Za-z]/;

/**
 * Issue 17, item 6: the alert history showed who acted as a raw user id and
 * the hub's own steps as English notes. The reply names people and words the
 * hub's steps in Chinese; the cockpit shows those (alert-panel.ts).
 */
describeHubOnEachDialect(
  'insider: alert history names people and speaks Chinese',
  (ctx) => {
    it('shows 系统 and a Chinese sentence for the hub’s steps, and the display name for a person’s', async () => {
      const { h } = ctx;
      const op = await h.user('wang.wu', 'city_operator', AREAS.city);
      await h.store.db.run('UPDATE users SET display_name = ? WHERE id = ?', ['王五', op.user.id]);
      // A gateway of this block's own: eventAt numbers events per gateway id across the whole file.
      const gwId = `gw-hist-${ctx.dialect}`;
      const gw = await h.gatewaySocket(gwId, await h.gateway(gwId, AREAS.communityA));
      const alarm = eventAt(gwId, AREAS.gridA1);
      expect(await gw.timeout(10_000).emitWithAck('events', { events: [alarm] })).toMatchObject({ ok: true });
      const alert = await untilAsync(async () => {
        const r = await h.api('GET', '/api/alerts', { token: op.token });
        return (r.body.alerts as { id: string; firstEventId: string }[]).find((a) => a.firstEventId === alarm.id);
      }, 'alert raised');
      // The dispatch deadline (1 s here) passes: the hub escalates on its own.
      await untilAsync(async () => {
        const r = await h.api('GET', `/api/alerts/${alert.id}/history`, { token: op.token });
        return (r.body.history as Entry[]).some((e) => e.action === 'escalate') || null;
      }, 'alert escalated');
      const sent = await h.api('POST', `/api/alerts/${alert.id}/dispatch`, {
        token: op.token,
        body: { assignee: { type: 'team', id: 'grid-a1' }, note: '请网格员到场核实' },
      });
      expect(sent.status).toBe(200);

      const history = (await h.api('GET', `/api/alerts/${alert.id}/history`, { token: op.token })).body
        .history as Entry[];
      const raise = history.find((e) => e.action === 'raise')!;
      const escalate = history.find((e) => e.action === 'escalate')!;
      const dispatch = history.find((e) => e.action === 'dispatch')!;
      expect(raise).toMatchObject({ actor: 'system', actorName: '系统' });
      expect(escalate).toMatchObject({ actor: 'system', actorName: '系统' });
      expect(escalate.text).toMatch(/^超过派发时限/);
      for (const e of [raise, escalate]) expect(e.text).not.toMatch(LATIN);
      expect(dispatch).toMatchObject({ actor: op.user.id, actorName: '王五（wang.wu）', text: '请网格员到场核实' });
    });
  },
  {
    hub: {
      alertConfig: { sla: { default: { dispatchMs: 1000 }, rules: [{ severity: 'critical', dispatchMs: 1000 }] } },
    },
  },
);

it('words every hub action in Chinese, from the entry’s fields only', () => {
  for (const action of ALERT_ACTIONS)
    for (const from of [null, ...ALERT_STATES]) {
      const entry: HistoryEntry = {
        seq: 2,
        at: 0,
        actor: 'system',
        action,
        from,
        to: from ?? 'raised',
        level: 1,
        note: 'smoke.alarm from gw-1/dev-1 (event 01J)',
      };
      const text = systemText(entry);
      // Person-only moves fall back to their note; everything the hub does itself is Chinese.
      if (['raise', 'suppress', 'escalate', 'source_cleared'].includes(action)) expect(text).not.toMatch(LATIN);
    }
});
