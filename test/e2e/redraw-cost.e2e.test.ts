import type { LinliEvent } from '@linli/contract';
import type { Browser } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_MARGIN_PX } from '../../dashboard/web/src/layers/label-placement.js';
import { AREAS, eventAt } from '../helpers/hub-fixture.js';
import {
  centre,
  grown,
  readCounters as builds,
  type RedrawFixture,
  startRedrawFixture,
} from '../helpers/redraw-cost.js';

/**
 * The cockpit's redraw cost (issue 22 item 4), measured in real Chromium: the
 * layers are built by memoised factories (dashboard/web/src/layers/layer-memo.ts)
 * and the page counts, per layer group, how often one was built anew
 * (window.linli.state.layerBuilds). A live event changes only the events
 * layer, so only that group is rebuilt while its dot pulses; an alarm that
 * recolours the grids rebuilds the grids too. The hub pushes every gateway's
 * status every 2 s whether or not anything changed: such a push rebuilds the
 * devices layer only when a drawn symbol changes (a gateway goes offline), and
 * the map's labels are placed again only when they change, or when the view
 * zooms or pans past the margin they were placed over
 * (window.linli.state.labelPlacements).
 */
declare const window: {
  linli: {
    map: { panBy(offset: [number, number], options: { animate: boolean }): void };
    stage: {
      placements: number;
      labelsOnScreen(): { text: string; box: { x0: number; y0: number; x1: number; y1: number } }[];
      overlay: {
        pickObject(o: {
          x: number;
          y: number;
          radius: number;
          layerIds: string[];
        }): { object?: { text?: string } } | null;
      };
    };
    state: Record<string, unknown> & {
      ready: boolean;
      eventsReceived: number;
      redraws: number;
      alerts: Record<string, string>;
      layerBuilds: Record<string, number>;
      gateways: number;
      gatewayPushes: number;
      labelPlacements: number;
    };
  };
};

/** The page's frame callback (the test's functions passed to page.evaluate run in the browser). */
declare function requestAnimationFrame(step: () => void): number;

let fx: RedrawFixture;
let h: RedrawFixture['h'];
let browser: Browser;
let operator: { token: string };
let gw: Socket;
let gw2: Socket;

beforeAll(async () => {
  fx = await startRedrawFixture('redraw.op');
  ({ h, browser, operator, gw, gw2 } = fx);
}, 300_000);

afterAll(async () => {
  await fx?.stop();
});

describe('cockpit redraw cost', () => {
  it('rebuilds only the events layer for a live event, and the grids only when their colours change', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    // Grids coloured by open alerts, and the live events: the two groups a live event could touch.
    await page.goto(`${h.url}/?area=${AREAS.communityA}&layers=grids,events&measure=alerts#key=${operator.token}`);
    await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });
    expect(await page.evaluate(() => window.linli.state.layerBuilds)).toMatchObject({ grids: 1 });

    const before = await builds(page);
    const [lng, lat] = centre(AREAS.gridA1);
    const pass = eventAt('gw-341302001001', AREAS.gridA1, 'gate.pass', {
      deviceId: 'gate-01',
      severity: 'info',
      location: { lng, lat, gridId: AREAS.gridA1 },
      payload: { method: 'card', direction: 'in' },
    } as Partial<LinliEvent>);
    expect(await gw.timeout(5000).emitWithAck('events', { events: [pass] })).toMatchObject({ ok: true });
    // The new dot pulses, so the page redraws about ten times a second: wait for ten redraws after it arrived.
    await page.waitForFunction((n) => window.linli.state.eventsReceived > n, before.events);
    const arrived = await builds(page);
    await page.waitForFunction((n) => window.linli.state.redraws >= n + 10, arrived.redraws, { timeout: 30_000 });
    const after = await builds(page);
    const redraws = after.redraws - before.redraws;
    const rebuilt = grown(before.builds, after.builds);
    console.log(`redraw cost: ${redraws} redraws after one live event rebuilt ${JSON.stringify(rebuilt)}`);
    // Every redraw rebuilt the events layer (its dot pulses), and nothing else was built again.
    expect(Object.keys(rebuilt)).toEqual(['events']);
    expect(rebuilt.events).toBeGreaterThanOrEqual(10);

    // An alarm in the grid opens an alert: the grid's colour changes, so the grids are built again (once per change).
    const alarm = eventAt('gw-341302001001', AREAS.gridA1, 'smoke.alarm', {
      location: { lng, lat, gridId: AREAS.gridA1 },
    } as Partial<LinliEvent>);
    expect(await gw.timeout(5000).emitWithAck('events', { events: [alarm] })).toMatchObject({ ok: true });
    await page.waitForFunction(() => Object.values(window.linli.state.alerts).includes('raised'), null, {
      timeout: 30_000,
    });
    await page.waitForFunction((n) => window.linli.state.layerBuilds.grids! > n, after.builds.grids ?? 0);
    const raised = await builds(page);
    await page.waitForFunction((n) => window.linli.state.redraws >= n + 10, raised.redraws, { timeout: 30_000 });
    const later = await builds(page);
    // Ten more redraws while the alert pulses: the grids' colours did not change again, so they were not rebuilt.
    expect(later.builds.grids).toBe(raised.builds.grids);
    expect(later.builds.events).toBeGreaterThan(raised.builds.events!);
    await page.close();
  });

  it('rebuilds the devices layer and places the labels again only when something drawn changed or the view left the placed margin', async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    // The street holding both gateways' communities, with the devices, events and community names drawn.
    await page.goto(`${h.url}/?area=${AREAS.city}&layers=devices,events#key=${operator.token}`);
    await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });
    await page.waitForFunction(() => window.linli.state.layerBuilds.devices! >= 1 && window.linli.state.gateways >= 2);
    // A fresh event pulses, so the page redraws about ten times a second for a minute.
    const [lng, lat] = centre(AREAS.gridA1);
    const pass = eventAt('gw-341302001001', AREAS.gridA1, 'gate.pass', {
      deviceId: 'gate-01',
      severity: 'info',
      location: { lng, lat, gridId: AREAS.gridA1 },
      payload: { method: 'card', direction: 'in' },
    } as Partial<LinliEvent>);
    const sent = await builds(page);
    expect(await gw.timeout(5000).emitWithAck('events', { events: [pass] })).toMatchObject({ ok: true });
    await page.waitForFunction((n) => window.linli.state.eventsReceived > n, sent.events);
    // Wait out the first redraws after the event (the map settles), then watch three status pushes with no change.
    const settled = await builds(page);
    await page.waitForFunction((n) => window.linli.state.redraws >= n + 5, settled.redraws, { timeout: 30_000 });
    const before = await builds(page);
    await page.waitForFunction(
      ([p, r]) => window.linli.state.gatewayPushes >= p! + 3 && window.linli.state.redraws >= r! + 10,
      [before.pushes, before.redraws],
      { timeout: 30_000 },
    );
    const quiet = await builds(page);
    console.log(
      `device pushes: ${quiet.pushes - before.pushes} pushes, ${quiet.redraws - before.redraws} redraws, ` +
        `devices built ${(quiet.builds.devices ?? 0) - (before.builds.devices ?? 0)} times, ` +
        `labels placed ${quiet.placements - before.placements} times`,
    );
    expect(quiet.builds.devices).toBe(before.builds.devices);
    expect(quiet.placements).toBe(before.placements);
    expect(quiet.builds.events).toBeGreaterThan(before.builds.events!);

    // A gateway goes off line: the next push changes its symbol's colour, so the devices layer is built again.
    gw2.disconnect();
    await page.waitForFunction((n) => window.linli.state.layerBuilds.devices! > n, quiet.builds.devices!, {
      timeout: 30_000,
    });
    const offline = await builds(page);
    expect(offline.builds.devices).toBe(quiet.builds.devices! + 1);
    // The symbols stayed where they were: the labels were not placed again for it.
    expect(offline.placements).toBe(quiet.placements);

    // A pan inside the margin labels are placed over moves them with the map: after its frame is drawn they are not
    // placed again, and each one in view sits where its box moved by the pan (deck.gl picks its text there).
    const panned = async (dx: number, dy: number) =>
      page.evaluate(
        ([x, y]) =>
          new Promise<number>((resolve) => {
            window.linli.map.panBy([x!, y!], { animate: false });
            // The move is composed on the next animation frame; read the count one frame after that.
            requestAnimationFrame(() => requestAnimationFrame(() => resolve(window.linli.stage.placements)));
          }),
        [dx, dy],
      );
    const held = await page.evaluate(() => window.linli.stage.placements);
    const onScreen = async () =>
      await page.evaluate(() => window.linli.stage.labelsOnScreen().map((l) => ({ text: l.text, box: l.box })));
    const still = await onScreen();
    expect(await panned(120, 40)).toBe(held);
    const moved = await onScreen();
    expect(moved.length).toBeGreaterThan(0);
    for (const l of moved) {
      const was = still.find((s) => s.text === l.text);
      if (was) expect([l.box.x0 - was.box.x0, l.box.y0 - was.box.y0].map(Math.round), l.text).toEqual([-120, -40]);
      const picked = await page.evaluate(
        (p) =>
          window.linli.stage.overlay.pickObject({
            x: p.x,
            y: p.y,
            radius: 6,
            layerIds: ['area-names', 'population-counts', 'maintenance-badges'],
          })?.object?.text ?? null,
        { x: (l.box.x0 + l.box.x1) / 2, y: (l.box.y0 + l.box.y1) / 2 },
      );
      expect(picked, l.text).toBe(l.text);
    }
    // Beyond the margin, labels are placed again for what is now in view.
    expect(await panned(LABEL_MARGIN_PX + 80, 0)).toBeGreaterThan(held);
    await page.close();
  });
});
