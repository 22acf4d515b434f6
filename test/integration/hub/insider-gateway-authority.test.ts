import type { LinliEvent } from '@linli/contract';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AREAS, defaultDevices, eventAt, startTestHub } from '../../helpers/hub-fixture.js';
import { LOCATION, makeOutbox, makeUplink, meter, sos } from '../../helpers/in-process.js';
import { until, untilAsync } from '../../helpers/processes.js';

/**
 * Insider, item 3 of issue 17: a gateway with its own valid token tries to
 * raise alarms outside what it was enrolled for. A gateway of 沱河街道
 * (communityA) sends a `gate.forced` for a grid of 东关街道 (gridB1), or from a
 * device it never declared. The hub refuses with a typed code, stores nothing,
 * raises nothing, audits it, and the gateway's backlog still drains.
 * Real hub, real Socket.IO, real tokens; once on SQLite and once on PostgreSQL.
 */
type TestHub = Awaited<ReturnType<typeof startTestHub>>;
type GatewaySocket = Awaited<ReturnType<TestHub['gatewaySocket']>>;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`insider: a gateway raises alarms only for its own area and devices [${dialect}]`, () => {
    let h: TestHub;
    let cityOp: string;
    let auditor: string;

    beforeEach(async () => {
      h = await startTestHub({ dialect });
      cityOp = (await h.user('city.op', 'city_operator', AREAS.city)).token;
      auditor = (await h.user('audit.one', 'auditor', AREAS.city)).token;
    });
    afterEach(async () => {
      await h.stop();
    });

    /** A gateway of 沱河街道 (communityA) whose declared devices sit in gridA1. */
    async function tuoheGateway(id: string): Promise<GatewaySocket> {
      return h.gatewaySocket(id, await h.gateway(id, AREAS.communityA));
    }
    const forcedAt = (gw: string, grid: string, deviceId: string, seq: number) =>
      eventAt(gw, grid, 'gate.forced', { seq, deviceId, payload: { door: '东门' } } as Partial<LinliEvent>);
    const send = (s: GatewaySocket, lane: 'events' | 'live', events: LinliEvent[]) =>
      s.timeout(30_000).emitWithAck(lane, { events });
    const storedOf = async (gw: string) => (await h.store.recentEvents(1000)).filter((e) => e.gatewayId === gw);
    /** Audit entries of an action, read the way an auditor reads them (REST), once at least `n` are there. */
    const auditEntries = (action: string, n = 1) =>
      untilAsync(async () => {
        const r = await h.api('GET', `/api/audit?action=${action}`, { token: auditor });
        const entries = (r.body.entries ?? []) as { target: { id: string }; detail: Record<string, unknown> }[];
        return entries.length >= n ? entries : null;
      }, `${n} audit entries ${action}`);
    /** Waits for the alert of a legitimate alarm, then returns every alert: the refused one raised none before it. */
    async function alertsAfterLegitimateAlarm(s: GatewaySocket, gw: string, seq: number) {
      const ok = eventAt(gw, AREAS.gridA2, 'smoke.alarm', { seq, deviceId: 'smoke-01' } as Partial<LinliEvent>);
      expect(await send(s, 'live', [ok])).toEqual({ ok: true, stored: 1 });
      return untilAsync(async () => {
        const r = await h.api('GET', '/api/alerts', { token: cityOp });
        const alerts = r.body.alerts as { gridId: string; kind: string }[];
        return alerts.some((a) => a.kind === 'smoke.alarm') ? alerts : null;
      }, 'the legitimate alarm raised');
    }

    it('refuses a live gate.forced for a grid of another street: typed code, nothing stored, no alert, audited', async () => {
      const s = await tuoheGateway('gw-tuohe');
      const intrusion = forcedAt('gw-tuohe', AREAS.gridB1, 'gate-dongguan', 1);
      const live = await send(s, 'live', [intrusion]);
      expect(live).toMatchObject({
        ok: true,
        stored: 0,
        rejected: [{ seq: 1, deviceId: 'gate-dongguan', code: 'GRID_OUTSIDE_AREA' }],
      });
      // The same event then arrives with the backlog: refused again, and the watermark moves past it.
      const batch = await send(s, 'events', [intrusion]);
      expect(batch).toMatchObject({ ok: true, ackSeq: 1, rejected: [{ seq: 1, code: 'GRID_OUTSIDE_AREA' }] });

      const alerts = await alertsAfterLegitimateAlarm(s, 'gw-tuohe', 2);
      expect(alerts.filter((a) => a.gridId.startsWith(AREAS.streetB))).toEqual([]);
      expect(alerts.map((a) => a.kind)).toEqual(['smoke.alarm']);
      expect((await storedOf('gw-tuohe')).map((e) => e.seq)).toEqual([2]);
      // One entry per gateway, code and minute: the backlog's repeat is counted into the window's summary.
      const audit = await auditEntries('gateway:event-refused');
      expect(audit.map((e) => [e.target.id, e.detail.lane, e.detail.code, e.detail.gridId, e.detail.count])).toEqual([
        ['gw-tuohe', 'live', 'GRID_OUTSIDE_AREA', AREAS.gridB1, 1],
      ]);
    });

    it('refuses an event from a device the gateway never declared, in its own area too', async () => {
      const s = await tuoheGateway('gw-undeclared');
      const ghost = forcedAt('gw-undeclared', AREAS.gridA1, 'gate-ghost', 1);
      expect(await send(s, 'live', [ghost])).toMatchObject({
        ok: true,
        stored: 0,
        rejected: [{ seq: 1, deviceId: 'gate-ghost', code: 'DEVICE_UNDECLARED' }],
      });
      expect(await send(s, 'events', [ghost])).toMatchObject({
        ok: true,
        ackSeq: 1,
        rejected: [{ seq: 1, code: 'DEVICE_UNDECLARED' }],
      });
      const alerts = await alertsAfterLegitimateAlarm(s, 'gw-undeclared', 2);
      expect(alerts.map((a) => a.kind)).toEqual(['smoke.alarm']);
      expect((await storedOf('gw-undeclared')).map((e) => e.deviceId)).toEqual(['smoke-01']);
      const audit = await auditEntries('gateway:event-refused');
      expect(audit[0]!.detail).toMatchObject({
        code: 'DEVICE_UNDECLARED',
        deviceId: 'gate-ghost',
        kind: 'gate.forced',
      });
    });

    it('stores a declared device’s event in its own area, and the gateway’s own events without a device', async () => {
      const s = await tuoheGateway('gw-good');
      const smoke = eventAt('gw-good', AREAS.gridA2, 'smoke.alarm', { seq: 1 } as Partial<LinliEvent>);
      const overflow = eventAt('gw-good', AREAS.gridA1, 'gateway.buffer_full', {
        seq: 2,
        deviceId: 'gateway',
        payload: { reason: 'capacity', refusedAlarms: 0, evictedTelemetry: 3, since: Date.now() },
      } as Partial<LinliEvent>);
      expect(await send(s, 'events', [smoke, overflow])).toEqual({ ok: true, ackSeq: 2 });
      expect((await storedOf('gw-good')).map((e) => e.kind)).toEqual(['smoke.alarm', 'gateway.buffer_full']);
      // The gateway's own kinds still need its area: an overflow report placed in another street is refused.
      const foreign = { ...overflow, seq: 3, location: { ...overflow.location, gridId: AREAS.gridB1 } } as LinliEvent;
      expect(await send(s, 'events', [foreign])).toMatchObject({
        ackSeq: 3,
        rejected: [{ code: 'GRID_OUTSIDE_AREA' }],
      });
    });

    it('refuses a declared device in a foreign grid and keeps the rest of the list', async () => {
      const s = await h.gatewaySocket('gw-claim', await h.gateway('gw-claim', AREAS.communityA), null);
      const hello = await s.timeout(30_000).emitWithAck('hello', {
        devices: [...defaultDevices(AREAS.gridA1), { id: 'gate-claimed', type: 'gate', gridId: AREAS.gridB1 }],
        lastSeq: 0,
      });
      expect(hello).toMatchObject({
        ok: true,
        devices: { changed: true, refused: [{ deviceId: 'gate-claimed', code: 'DEVICE_OUTSIDE_AREA' }] },
      });
      // Not on the list: even placed in the gateway's own area, its events are refused.
      expect(await send(s, 'events', [forcedAt('gw-claim', AREAS.gridA1, 'gate-claimed', 1)])).toMatchObject({
        rejected: [{ code: 'DEVICE_UNDECLARED' }],
      });
      const audit = await auditEntries('gateway:device-refused');
      expect(audit[0]!.detail).toMatchObject({
        code: 'DEVICE_OUTSIDE_AREA',
        deviceId: 'gate-claimed',
        gridId: AREAS.gridB1,
      });
      expect((await storedOf('gw-claim')).length).toBe(0);
    });

    it('refuses a malformed or ambiguous declaration whole, changing nothing', async () => {
      const s = await tuoheGateway('gw-bad-list');
      const hello = (msg: object) => s.timeout(30_000).emitWithAck('hello', msg);
      const twice = [
        { id: 'smoke-01', type: 'smoke', gridId: AREAS.gridA1 },
        { id: 'smoke-01', type: 'smoke', gridId: AREAS.gridA2 },
      ];
      expect(await hello({ devices: twice })).toMatchObject({ ok: false, error: { code: 'INVALID_HELLO' } });
      expect(await hello({ devices: [{ id: 'smoke-01', gridId: 'x' }] })).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_HELLO',
          issues: expect.arrayContaining([expect.objectContaining({ field: 'devices[0].gridId' })]),
        },
      });
      // The list on record (the fixture's) still holds: its smoke detector's alarm is stored.
      const smoke = eventAt('gw-bad-list', AREAS.gridA1, 'smoke.alarm', { seq: 1 } as Partial<LinliEvent>);
      expect(await send(s, 'events', [smoke])).toEqual({ ok: true, ackSeq: 1 });
    });

    it('audits a changed device list with the old and the new, and not an unchanged one', async () => {
      const s = await h.gatewaySocket('gw-list', await h.gateway('gw-list', AREAS.communityA), null);
      const hello = (devices: object[]) => s.timeout(30_000).emitWithAck('hello', { devices, lastSeq: 0 });
      const smokeA1 = { id: 'smoke-01', type: 'smoke', gridId: AREAS.gridA1 };
      expect(await hello([smokeA1])).toMatchObject({ devices: { changed: true } });
      const moved = [
        { ...smokeA1, gridId: AREAS.gridA2 },
        { id: 'gate-01', type: 'gate', gridId: AREAS.gridA1 },
      ];
      expect(await hello(moved)).toMatchObject({ devices: { changed: true } });
      expect(await hello(moved)).toMatchObject({ devices: { changed: false, refused: [] } });
      const audit = await auditEntries('gateway:devices-declared', 2);
      expect(audit.map((e) => e.detail)).toEqual([
        expect.objectContaining({ addedCount: 1, added: `smoke-01 smoke ${AREAS.gridA1}`, removedCount: 0 }),
        expect.objectContaining({
          addedCount: 1,
          added: `gate-01 gate ${AREAS.gridA1}`,
          changedCount: 1,
          changed: `smoke-01 smoke ${AREAS.gridA1} → smoke ${AREAS.gridA2}`,
        }),
      ]);
      expect(audit).toHaveLength(2);
    });

    it('keeps the backlog of a gateway that never declared (refused whole), and drains it once it declares', async () => {
      const s = await h.gatewaySocket('gw-old', await h.gateway('gw-old', AREAS.communityA), null);
      const smoke = eventAt('gw-old', AREAS.gridA1, 'smoke.alarm', { seq: 1 } as Partial<LinliEvent>);
      expect(await send(s, 'events', [smoke])).toMatchObject({ ok: false, error: { code: 'DEVICES_NOT_DECLARED' } });
      expect(await h.store.lastSeq('gw-old')).toBe(0);
      await s.timeout(30_000).emitWithAck('hello', { devices: defaultDevices(AREAS.gridA1), lastSeq: 1 });
      expect(await send(s, 'events', [smoke])).toEqual({ ok: true, ackSeq: 1 });
    });

    it('refuses a picture from a camera the gateway did not declare', async () => {
      const s = await tuoheGateway('gw-pic');
      const smoke = eventAt('gw-pic', AREAS.gridA1, 'smoke.alarm', { seq: 1 } as Partial<LinliEvent>);
      expect(await send(s, 'events', [smoke])).toEqual({ ok: true, ackSeq: 1 });
      const bytes = await sharp({ create: { width: 16, height: 9, channels: 3, background: '#808080' } })
        .webp()
        .toBuffer();
      const picture = { eventId: smoke.id, eventSeq: 1, takenAt: Date.now(), contentType: 'image/webp', bytes };
      expect(await s.timeout(30_000).emitWithAck('media', { ...picture, cameraId: 'cam-stranger' })).toMatchObject({
        ok: false,
        error: { code: 'DEVICE_UNDECLARED' },
      });
      expect(await s.timeout(30_000).emitWithAck('media', { ...picture, cameraId: 'cam-a2' })).toEqual({ ok: true });
      const audit = await auditEntries('gateway:picture-refused');
      expect(audit[0]!.detail).toMatchObject({ code: 'DEVICE_UNDECLARED', cameraId: 'cam-stranger' });
    });

    it('a flood of refused events leaves one audit entry per code and window, counting them all', async () => {
      const s = await tuoheGateway('gw-flood');
      const batch = (from: number) =>
        Array.from({ length: 50 }, (_, i) => forcedAt('gw-flood', AREAS.gridB1, 'gate-x', from + i));
      for (let k = 0; k < 5; k++)
        expect(await send(s, 'events', batch(1 + k * 50))).toMatchObject({ ackSeq: 50 * (k + 1) });
      const audit = await auditEntries('gateway:event-refused');
      // The rest of the window is counted and written as one summary when it ends, not one entry each.
      expect(audit).toHaveLength(1);
      expect(audit[0]!.detail).toMatchObject({ code: 'GRID_OUTSIDE_AREA', count: 50 });
    });

    it('the real gateway uplink drains its backlog past refused events; they are counted, never stored', async () => {
      const gw = 'gw-341302001001';
      const token = await h.gateway(gw, AREAS.communityA);
      const box = makeOutbox({ gatewayId: gw });
      try {
        const foreign = { ...LOCATION, gridId: AREAS.gridB1 };
        await Promise.all([1, 2, 3].map((n) => box.enqueue(meter(n), LOCATION)));
        await box.enqueue({ ...sos(4), deviceId: 'sos-stranger' }, LOCATION);
        await box.enqueue(sos(5), foreign);
        await Promise.all([6, 7, 8].map((n) => box.enqueue(meter(n), LOCATION)));
        const { uplink, lines } = makeUplink(box, { hubUrl: h.url, gatewayId: gw, token });
        uplink.start();
        try {
          await until(() => (uplink.ackedSeq() === 8 && box.stats().depth === 0) || null, 'backlog drained');
          expect(lines.some((l) => l.includes('DEVICE_UNDECLARED'))).toBe(true);
        } finally {
          await uplink.stop();
        }
        expect((await storedOf(gw)).map((e) => e.seq)).toEqual([1, 2, 3, 6, 7, 8]);
        expect(await h.store.lastSeq(gw)).toBe(8);
        const counted = await h.store.db.get<{ n: number }>('SELECT rejected_events AS n FROM gateways WHERE id = ?', [
          gw,
        ]);
        expect(counted?.n).toBe(2);
      } finally {
        box.close();
      }
    });
  });
}
