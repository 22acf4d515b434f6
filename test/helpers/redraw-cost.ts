import { ringCentroid } from '@linli/geo';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { demoCityTree } from '../../dashboard/src/city/demo-city-source.js';
import { launchChromium } from './browser.js';
import { buildProduct } from './e2e.js';
import { AREAS, startTestHub } from './hub-fixture.js';

/**
 * What the cockpit's and the wall's redraw-cost tests share: a hub with the
 * demo city, a city operator, two gateways (the second one to take off line),
 * Chromium, and the readings of the counters both pages publish in
 * window.linli.state (dashboard/web/src/redraw-cost.ts).
 */
declare const window: {
  linli: {
    state: {
      eventsReceived: number;
      redraws: number;
      layerBuilds: Record<string, number>;
      gatewayPushes: number;
      labelPlacements: number;
    };
  };
};

const city = demoCityTree();
/** The centre of a demo-city area, where a test puts its event. */
export const centre = (code: string) => ringCentroid(city.areas.find((a) => a.code === code)!.ring!);

export interface RedrawFixture {
  h: Awaited<ReturnType<typeof startTestHub>>;
  browser: Browser;
  operator: { token: string };
  /** The first community's gateway, which sends the test's events. */
  gw: Socket;
  /** The second community's gateway, for a test to take off line. */
  gw2: Socket;
  stop(): Promise<void>;
}

export async function startRedrawFixture(operatorName: string): Promise<RedrawFixture> {
  buildProduct();
  const h = await startTestHub();
  const operator = await h.user(operatorName, 'city_operator', AREAS.city);
  const gw = await h.gatewaySocket('gw-341302001001', await h.gateway('gw-341302001001', AREAS.communityA));
  const gw2 = await h.gatewaySocket('gw-341302002001', await h.gateway('gw-341302002001', AREAS.communityB));
  const browser = await launchChromium();
  return {
    h,
    browser,
    operator,
    gw,
    gw2,
    stop: async () => {
      await browser.close();
      await h.stop();
    },
  };
}

/** The page's redraw counters at this moment. */
export const readCounters = (page: Page) =>
  page.evaluate(() => ({
    redraws: window.linli.state.redraws,
    events: window.linli.state.eventsReceived,
    builds: { ...window.linli.state.layerBuilds },
    pushes: window.linli.state.gatewayPushes,
    placements: window.linli.state.labelPlacements,
  }));

/** Groups whose build count grew between two readings, with how much. */
export const grown = (a: Record<string, number>, b: Record<string, number>) =>
  Object.fromEntries(Object.keys(b).flatMap((k) => (b[k]! > (a[k] ?? 0) ? [[k, b[k]! - (a[k] ?? 0)]] : [])));
