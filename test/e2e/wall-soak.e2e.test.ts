import { join } from 'node:path';
import { ringCentroid } from '@linli/geo';
import { demoCityTree } from '../../dashboard/src/city/demo-city-source.js';
import { afterAll, expect, it } from 'vitest';
import { isLocal, launchChromium } from '../helpers/browser.js';
import { buildProduct } from '../helpers/e2e.js';
import { AREAS, eventAt, startTestHub } from '../helpers/hub-fixture.js';
import { ROOT, until } from '../helpers/processes.js';

/**
 * The wall, shortened soak: a steady event stream, forced Socket.IO
 * disconnects (an alarm raised while down must arrive by catch-up), a forced
 * WebGL context loss (the map is rebuilt); afterwards the page is live and
 * correct and its JS heap has not run away.
 */
declare const window: {
  linli: {
    state: Record<string, unknown> & { ready: boolean; eventsReceived: number; alerts: Record<string, string> };
    stage: { recoveries: number; map: { getCanvas(): HTMLCanvasElement; queryRenderedFeatures(o: object): unknown[] } };
    live: { socket: { io: { engine: { close(): void } } }; events: { all(): unknown[] } };
  };
};
declare class HTMLCanvasElement {
  getContext(k: string): { getExtension(n: string): { loseContext(): void } | null } | null;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

it('stays live and correct through disconnects and a WebGL context loss, with bounded heap', async () => {
  buildProduct();
  const h = await startTestHub();
  cleanups.push(() => h.stop());
  const op = await h.user('wall', 'city_operator', AREAS.city);
  const gw = await h.gatewaySocket('gw-341302001001', await h.gateway('gw-341302001001', AREAS.communityA));
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return ((await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
  };
  await page.goto(`${h.url}/wall?tour=3&hold=3#key=${op.token}`);
  await page.waitForFunction(() => window.linli?.state.ready === true, null, { timeout: 120_000 });

  const [lng, lat] = ringCentroid(demoCityTree().areas.find((a) => a.code === AREAS.gridA1)!.ring!);
  let sent = 0;
  const stream = setInterval(() => {
    const batch = Array.from({ length: 20 }, () =>
      eventAt('gw-341302001001', AREAS.gridA1, 'gate.pass', {
        severity: 'info',
        deviceId: 'gate-01',
        payload: { direction: 'in', method: 'card' },
        location: { lng, lat, gridId: AREAS.gridA1 },
      } as never),
    );
    sent += batch.length;
    gw.emit('events', { events: batch }, () => undefined);
  }, 250);
  cleanups.push(async () => clearInterval(stream));
  await until(() => sent > 200, 'the stream to run a while', 30_000);
  const startHeap = await heap();

  // Forced disconnects; an alarm raised while the wall is down must still reach it.
  let missed = '';
  for (let i = 0; i < 3; i++) {
    await page.evaluate(() => window.linli.live.socket.io.engine.close());
    if (i === 1) {
      const e = eventAt('gw-341302001001', AREAS.gridA1, 'smoke.alarm', {
        deviceId: 'smoke-soak',
        location: { lng, lat, gridId: AREAS.gridA1 },
      } as never);
      const r = await gw.timeout(5000).emitWithAck('events', { events: [e] });
      expect(r).toMatchObject({ ok: true });
      missed = (await h.api('GET', '/api/alerts?states=raised', { token: op.token })).body.alerts[0].id;
    }
    await page.waitForFunction(() => window.linli.state.link === 'online', null, { timeout: 30_000 });
  }
  await page.waitForFunction((id) => window.linli.state.alerts[id] === 'raised', missed, { timeout: 30_000 });

  // Lose the WebGL context; the stage must rebuild the map and draw again.
  const lost = await page.evaluate(() => {
    const gl = window.linli.stage.map.getCanvas().getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_lose_context');
    ext?.loseContext();
    return !!ext;
  });
  expect(lost).toBe(true);
  await page.waitForFunction(() => window.linli.stage.recoveries === 1, null, { timeout: 60_000 });
  await page.waitForFunction(
    () => window.linli.stage.map.queryRenderedFeatures({ layers: ['community-fill'] }).length > 0,
    null,
    { timeout: 60_000 },
  );
  const before = await page.evaluate(() => window.linli.state.eventsReceived);
  await page.waitForFunction((n) => window.linli.state.eventsReceived > n, before, { timeout: 30_000 });
  await until(() => sent > 1500, 'more of the stream', 120_000);
  const endHeap = await heap();
  const ring = await page.evaluate(() => window.linli.live.events.all().length);
  console.log(
    `wall soak: ${sent} events sent, heap ${(startHeap / 1e6).toFixed(1)} MB → ${(endHeap / 1e6).toFixed(1)} MB, event ring ${ring}`,
  );
  expect(ring).toBeLessThanOrEqual(2000);
  expect(endHeap).toBeLessThan(startHeap + 40e6);
  await page.screenshot({ path: join(ROOT, 'test', 'artifacts', 'wall-after-soak.png') });
  expect(requests.filter((r) => !isLocal(r))).toEqual([]);
}, 600_000);
