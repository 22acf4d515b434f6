import type { LinliEvent } from '@linli/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREAS, eventAt, startTestHub } from '../../helpers/hub-fixture.js';
import { until, untilAsync } from '../../helpers/processes.js';

/**
 * Area scope is enforced by the server for every query, every Socket.IO room
 * and every command, whatever the client sends.
 */
describe('hub: area scope over real HTTP and Socket.IO', () => {
  let h: Awaited<ReturnType<typeof startTestHub>>;
  let leaderA: string;
  let gridWorkerA1: string;
  let cityOp: string;
  let auditor: string;
  let gwA: Awaited<ReturnType<typeof h.gatewaySocket>>;
  let gwB: Awaited<ReturnType<typeof h.gatewaySocket>>;

  beforeAll(async () => {
    h = await startTestHub();
    leaderA = (await h.user('leader.a', 'street_leader', AREAS.streetA)).token;
    gridWorkerA1 = (await h.user('grid.a1', 'grid_worker', AREAS.gridA1)).token;
    cityOp = (await h.user('city.op', 'city_operator', AREAS.city)).token;
    auditor = (await h.user('audit.one', 'auditor', AREAS.city)).token;
    gwA = await h.gatewaySocket('gw-a', await h.gateway('gw-a', AREAS.communityA));
    gwB = await h.gatewaySocket('gw-b', await h.gateway('gw-b', AREAS.communityB));
  }, 60_000);
  afterAll(() => h.stop());

  async function deliver(socket: typeof gwA, events: LinliEvent[]) {
    const reply = await socket.timeout(5000).emitWithAck('events', { events });
    expect(reply).toMatchObject({ ok: true });
  }

  it('sends each cockpit only the events inside its area, and ignores rooms a client asks for', async () => {
    const leader = await h.cockpitSocket(leaderA);
    const worker = await h.cockpitSocket(gridWorkerA1);
    const city = await h.cockpitSocket(cityOp);
    // Crafted: a client names rooms and areas it wants; the server has no such handlers and assigns rooms itself.
    leader.socket.emit('join', 'area:3413');
    leader.socket.emit('subscribe', { areaCode: AREAS.streetB });
    worker.socket.emit('join', `area:${AREAS.gridA2}`);

    await deliver(gwA, [eventAt('gw-a', AREAS.gridA1), eventAt('gw-a', AREAS.gridA2)]);
    await deliver(gwB, [eventAt('gw-b', AREAS.gridB1)]);
    await until(() => city.events.length === 3, 'city operator gets all three events');
    // Give any wrongly routed message time to arrive before asserting its absence.
    await new Promise((r) => setTimeout(r, 500));
    expect(leader.events.map((e) => e.location.gridId).sort()).toEqual([AREAS.gridA1, AREAS.gridA2]);
    expect(worker.events.map((e) => e.location.gridId)).toEqual([AREAS.gridA1]);

    const recent = await leader.socket.timeout(5000).emitWithAck('recent', { limit: 1000 });
    expect(recent.ok).toBe(true);
    expect(recent.events.every((e: LinliEvent) => e.location.gridId.startsWith(AREAS.streetA))).toBe(true);
    expect(recent.events.length).toBe(2);
  });

  it('cuts REST reads to the caller’s area: events, gateways, areas', async () => {
    const events = await h.api('GET', '/api/events?limit=1000', { token: leaderA });
    expect(events.status).toBe(200);
    expect(events.body.events.length).toBeGreaterThan(0);
    expect(events.body.events.every((e: LinliEvent) => e.location.gridId.startsWith(AREAS.streetA))).toBe(true);

    const worker = await h.api('GET', '/api/events', { token: gridWorkerA1 });
    expect(worker.body.events.every((e: LinliEvent) => e.location.gridId === AREAS.gridA1)).toBe(true);

    const gws = await h.api('GET', '/api/gateways', { token: leaderA });
    expect(gws.body.gateways.map((g: { id: string }) => g.id)).toEqual(['gw-a']);

    const areas = await h.api('GET', '/api/areas', { token: leaderA });
    const codes: string[] = areas.body.features.map((f: { properties: { code: string } }) => f.properties.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(codes.every((c) => c.startsWith(AREAS.streetA) || AREAS.streetA.startsWith(c))).toBe(true);
    expect(codes.some((c) => c.startsWith(AREAS.streetB))).toBe(false);

    // ?under= narrows what the viewer may see, never widens it: one community's rings, nothing of another street.
    const codesOf = async (token: string, under: string) =>
      (await h.api('GET', `/api/areas?under=${under}`, { token })).body.features
        .map((f: { properties: { code: string } }) => f.properties.code)
        .sort();
    const community = await codesOf(leaderA, AREAS.communityA);
    expect(community).toContain(AREAS.communityA);
    expect(community).toContain(AREAS.gridA1);
    expect(community.every((c: string) => c.startsWith(AREAS.communityA))).toBe(true);
    expect(await codesOf(leaderA, AREAS.communityB)).toEqual([]);
    expect(await codesOf(gridWorkerA1, AREAS.communityA)).toEqual([AREAS.communityA, AREAS.gridA1]);
    expect((await h.api('GET', '/api/areas?under=34130', { token: leaderA })).status).toBe(400);

    // The tree carries bounds instead of rings: every grid inside the area has one, an area beside it none.
    const tree = await h.api('GET', '/api/area-tree', { token: leaderA });
    type Node = { code: string; level: string; bbox: [number, number, number, number] | null };
    const nodes: Node[] = tree.body.areas;
    const grids = nodes.filter((n) => n.level === 'grid');
    expect(grids.length).toBeGreaterThan(0);
    expect(grids.every((n) => n.bbox && n.bbox[0] < n.bbox[2] && n.bbox[1] < n.bbox[3])).toBe(true);
    expect(nodes.some((n) => n.code.startsWith(AREAS.streetB))).toBe(false);

    // Query parameters cannot widen the scope: unknown parameters are refused, not obeyed.
    const crafted = await h.api('GET', `/api/events?areaCode=${AREAS.city}`, { token: leaderA });
    expect(crafted.status).toBe(400);
    expect(crafted.body.error.code).toBe('INVALID_QUERY');
  });

  it('refuses commands to gateways outside the area, as if they did not exist, and audits the attempt', async () => {
    const out = await h.api('POST', '/api/commands', {
      token: leaderA,
      body: { gatewayId: 'gw-b', deviceId: 'gate-01', name: 'gate.open', args: {} },
    });
    expect(out.status).toBe(404);
    const unknown = await h.api('POST', '/api/commands', {
      token: leaderA,
      body: { gatewayId: 'gw-nope', deviceId: 'gate-01', name: 'gate.open', args: {} },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(out.body.error.message.replace('gw-b', 'gw-nope'));
    // A grid worker may not command at all; a street leader may not push flows.
    const worker = await h.api('POST', '/api/commands', {
      token: gridWorkerA1,
      body: { gatewayId: 'gw-a', deviceId: 'gate-01', name: 'gate.open', args: {} },
    });
    expect(worker.status).toBe(403);
    const flows = await h.api('POST', '/api/commands', {
      token: leaderA,
      body: { gatewayId: 'gw-a', name: 'flows.apply', args: {} },
    });
    expect(flows.status).toBe(403);
    const denied = await h.hub.services.auditLog.list(
      { userId: 'test-auditor', role: 'auditor', areaCode: AREAS.city },
      { action: 'command:gate.open', outcome: 'denied' },
    );
    expect(denied.entries.map((e) => e.target.id)).toEqual(expect.arrayContaining(['gw-b', 'gw-nope']));
  });

  it('delivers an in-area command to the gateway, records the answer, and hides it from other areas', async () => {
    gwA.on('command', (cmd: { id: string; name: string; deviceId: string }, ack: (r: unknown) => void) =>
      ack({ ok: true, result: { door: 1, openedAt: Date.now(), echo: cmd.deviceId } }),
    );
    const sent = await h.api('POST', '/api/commands', {
      token: leaderA,
      body: { gatewayId: 'gw-a', deviceId: 'gate-01', name: 'gate.open', args: { door: 1 } },
    });
    expect(sent.status).toBe(200);
    const id = sent.body.command.command.id as string;
    expect(sent.body.command.command.issuedBy).toMatch(/^[0-9A-Z]{26}$/);
    const done = await untilAsync(async () => {
      const r = await h.api('GET', `/api/commands/${id}`, { token: leaderA });
      return r.body.command?.state === 'done' ? r.body.command : null;
    }, 'command answered');
    expect(done.result).toMatchObject({ door: 1, echo: 'gate-01' });
    const other = await h.api('GET', `/api/commands/${id}`, { token: gridWorkerA1 });
    expect(other.status).toBe(404);
  });

  it('gives an auditor no live data and no events', async () => {
    const events = await h.api('GET', '/api/events', { token: auditor });
    expect(events.status).toBe(403);
    const s = h.connect('/cockpit', { key: auditor });
    const err = await new Promise<Error>((resolve) => s.once('connect_error', resolve));
    expect(err.message).toMatch(/unauthorized/);
  });

  it('answers anonymous and unknown tokens with 401 and never with data', async () => {
    for (const path of ['/api/events', '/api/areas', '/api/gateways', '/api/me']) {
      expect((await h.api('GET', path)).status).toBe(401);
      expect((await h.api('GET', path, { token: 'x'.repeat(43) })).status).toBe(401);
    }
  });
});
