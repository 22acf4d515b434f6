import type { LinliEvent } from '@linli/contract';
import type { Browser } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREAS, eventAt } from '../helpers/hub-fixture.js';
import {
  centre,
  grown,
  readCounters as builds,
  type RedrawFixture,
  startRedrawFixture,
} from '../helpers/redraw-cost.js';

/**
 * The wall's redraw cost (issue 20), measured in real Chromium like the
 * cockpit's (redraw-cost.e2e.test.ts): the wall builds its layers through the
 * same memo (dashboard/web/src/layers/layer-memo.ts) and publishes the same
 * counts (dashboard/web/src/redraw-cost.ts). While a fresh event pulses the
 * wall redraws about ten times a second; those redraws and the hub's gateway
 * pushes every 2 s rebuild only what changed: the pulsing events layer, and
 * the devices layer once when a gateway goes off line. Counts only, no times.
 */
declare const window: {
  linli: {
    stage: { recoveries: number; map: { getCanvas(): HTMLCanvasElement } };
    state: Record<string, unknown> & {
      ready: boolean;
      eventsReceived: number;
      redraws: number;
      layerBuilds: Record<string, number>;
      gateways: number;
      gatewayPushes: number;
      labelPlacements: number;
    };
  };
};

declare class HTMLCanvasElement {
  getContext(k: string): { getExtension(n: string): { loseContext(): void } | null } | null;
}

let fx: RedrawFixture;
let h: RedrawFixture['h'];
let browser: Browser;
let operator: { token: string };
let gw: Socket;
let gw2: Socket;

beforeAll(async () => {
  fx = await startRedrawFixture('wallcost.op');
  ({ h, browser, operator, gw, gw2 } = fx);
}, 300_000);

afterAll(async () => {
  await fx?.stop();
});

describe('wall redraw cost', () => {
  it('rebuilds only the pulsing events layer over redraws and pushes, devices once for an offline gateway, all for a new map', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    // The tour held at its first stop (the whole city): the view does not move during the test.
    await page.goto(`${h.url}/wall?tour=3600#key=${operator.token}`);
    await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });
    await page.waitForFunction(
      () => (window.linli.state.layerBuilds?.devices ?? 0) >= 1 && window.linli.state.gateways >= 2,
      null,
      { timeout: 30_000 },
    );
    // A push after the first picture (the first push of all draws the gateways as they are).
    const ready = await builds(page);
    await page.waitForFunction((p) => window.linli.state.gatewayPushes >= p + 1, ready.pushes, { timeout: 30_000 });
    const idle = await builds(page);

    // A new event: its dot pulses, so the wall redraws about ten times a second for a minute.
    const [lng, lat] = centre(AREAS.gridA1);
    const pass = eventAt('gw-341302001001', AREAS.gridA1, 'gate.pass', {
      deviceId: 'gate-01',
      severity: 'info',
      location: { lng, lat, gridId: AREAS.gridA1 },
      payload: { method: 'card', direction: 'in' },
    } as Partial<LinliEvent>);
    expect(await gw.timeout(5000).emitWithAck('events', { events: [pass] })).toMatchObject({ ok: true });
    await page.waitForFunction((n) => window.linli.state.eventsReceived > n, idle.events, { timeout: 30_000 });
    // Three status pushes with nothing changed, and at least twenty redraws.
    await page.waitForFunction(
      ([p, r]) => window.linli.state.gatewayPushes >= p! + 3 && window.linli.state.redraws >= r! + 20,
      [idle.pushes, idle.redraws],
      { timeout: 30_000 },
    );
    const quiet = await builds(page);
    const rebuilt = grown(idle.builds, quiet.builds);
    console.log(
      `wall, one event: ${quiet.pushes - idle.pushes} pushes, ${quiet.redraws - idle.redraws} redraws, ` +
        `rebuilt ${JSON.stringify(rebuilt)}, labels placed ${quiet.placements - idle.placements} times`,
    );
    // The event's layer is drawn anew on every redraw (its dot pulses); nothing else was built again.
    expect(Object.keys(rebuilt)).toEqual(['events']);
    expect(rebuilt.events).toBeGreaterThanOrEqual(20);
    expect(quiet.placements).toBe(idle.placements);

    // A gateway goes off line: the next push changes its symbol's colour, so the devices layer is built once more.
    gw2.disconnect();
    await page.waitForFunction((n) => window.linli.state.layerBuilds.devices! > n, quiet.builds.devices!, {
      timeout: 30_000,
    });
    const offline = await builds(page);
    await page.waitForFunction(
      ([p, r]) => window.linli.state.gatewayPushes >= p! + 2 && window.linli.state.redraws >= r! + 10,
      [offline.pushes, offline.redraws],
      { timeout: 30_000 },
    );
    const after = await builds(page);
    const changed = grown(quiet.builds, after.builds);
    console.log(
      `wall, gateway off line: ${after.pushes - quiet.pushes} pushes, ${after.redraws - quiet.redraws} redraws, ` +
        `rebuilt ${JSON.stringify(changed)}, labels placed ${after.placements - quiet.placements} times`,
    );
    expect(Object.keys(changed).sort()).toEqual(['devices', 'events']);
    expect(changed.devices).toBe(1);
    // The symbols stayed where they were: the labels were not placed again for it.
    expect(after.placements).toBe(quiet.placements);

    // The WebGL context is lost and the map built again (stage.ts): its new deck.gl cannot take layers the lost
    // one initialised, so every group drawn is built anew, once, and deck.gl reports no layer it failed to set up.
    const deckErrors = () => errors.filter((e) => /deck/i.test(e));
    expect(deckErrors()).toEqual([]);
    const lost = await page.evaluate(() => {
      const ext = window.linli.stage.map.getCanvas().getContext('webgl2')?.getExtension('WEBGL_lose_context');
      ext?.loseContext();
      return !!ext;
    });
    expect(lost).toBe(true);
    // Once the new map is ready (stage.ts onReady) the wall builds its layers anew for it.
    await page.waitForFunction(() => window.linli.stage.recoveries === 1, null, { timeout: 60_000 });
    await page.waitForFunction((n) => window.linli.state.layerBuilds.grids! > n, after.builds.grids!, {
      timeout: 60_000,
    });
    const recovered = await builds(page);
    await page.waitForFunction((r) => window.linli.state.redraws >= r + 5, recovered.redraws, { timeout: 30_000 });
    const healed = await builds(page);
    const fresh = grown(after.builds, healed.builds);
    console.log(`wall, map rebuilt: rebuilt ${JSON.stringify(fresh)}; deck.gl errors ${deckErrors().length}`);
    expect(Object.keys(fresh).sort()).toEqual(['alerts', 'devices', 'events', 'grids']);
    expect(fresh.grids).toBe(1);
    expect(fresh.devices).toBe(1);
    expect(deckErrors()).toEqual([]);
    await page.close();
  });
});
