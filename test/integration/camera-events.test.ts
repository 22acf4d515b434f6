import { afterEach, describe, expect, it } from 'vitest';
import type { EventDraft } from '@linli/contract';
import {
  BusManager,
  builtinRegistry,
  createDevice,
  type DeviceHandle,
  LineManager,
  NO_EVENTS_NOTE,
  OnvifCamera,
  OnvifSimulator,
  type OnvifSimOptions,
  startRtspServer,
} from '@linli/drivers';
import { until } from '../helpers/processes.js';

/**
 * The camera driver's event pull against camera stand-ins that behave as
 * real ones were recorded to: answering PullMessages at once when idle,
 * granting 5 s subscriptions, refusing Renew, having no PullPoint at all.
 * Bounds are counted against the same clock the stand-in records with.
 */

const USER = 'installer';
const PASS = 'Events-test-pass-1';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function rig(sim: Partial<OnvifSimOptions>) {
  const rtsp = await startRtspServer({ pattern: 'white' });
  cleanup.push(() => rtsp.stop());
  const camera = new OnvifSimulator({ name: 'cam-events', username: USER, password: PASS, rtspUrl: rtsp.url, ...sim });
  await camera.start();
  cleanup.push(() => camera.stop());
  const events: EventDraft[] = [];
  const warnings: string[] = [];
  const def = await builtinRegistry().get('onvif-camera');
  const cam = createDevice(
    def,
    {
      id: 'cam-events',
      type: 'onvif-camera',
      pollMs: 5000,
      timeoutMs: 8000,
      transport: { kind: 'onvif', host: '127.0.0.1', port: camera.port, username: USER, password: PASS },
      options: { healthIntervalMs: 2000, eventCooldownMs: 0 },
    },
    {
      emit: async (d) => void events.push(d),
      log: { info: () => {}, warn: (m, f) => void warnings.push(`${m} ${JSON.stringify(f ?? {})}`) },
      buses: new BusManager(),
      lines: new LineManager(),
    },
  ) as DeviceHandle & OnvifCamera;
  cleanup.push(() => cam.stop());
  cam.start();
  await until(() => events.find((e) => e.kind === 'device.online'), 'device.online', 60_000);
  return { camera, cam, events, warnings };
}

const calls = (sim: OnvifSimulator, action: 'create' | 'pull' | 'renew' | 'unsubscribe') =>
  sim.pullPoint.calls.filter((c) => c.action === action);
const kinds = (events: EventDraft[], kind: string) => events.filter((e) => e.kind === kind);

describe('ONVIF event pull', () => {
  it('long-polls with Timeout and MessageLimit, and a camera that answers at once is pulled at most once per floor', async () => {
    const { camera, events } = await rig({ maxPullWaitMs: 0 });
    await until(() => calls(camera, 'pull').length >= 10, '10 pulls', 60_000);
    const pulls = calls(camera, 'pull');
    const elapsedS = (pulls.at(-1)!.at - pulls[0]!.at) / 1000;
    // A bound, not a speed check: at most one pull per second (the broken driver made ~600 per second here).
    expect(pulls.length).toBeLessThanOrEqual(elapsedS * 1 + 2);
    for (const p of pulls) {
      expect(p.limit).toBe(50);
      expect(p.timeoutMs).toBeGreaterThanOrEqual(1000);
      expect(p.timeoutMs).toBeLessThanOrEqual(10_000);
    }
    // The default 120 s grant leaves room for the full configured long-poll.
    expect(pulls.some((p) => p.timeoutMs === 10_000)).toBe(true);
    // Events still arrive.
    camera.inject('motion');
    await until(() => kinds(events, 'camera.motion').length, 'camera.motion', 30_000);
  }, 120_000);

  it('a camera that grants 5 s and refuses Renew is resubscribed, never taken offline', async () => {
    const { camera, cam, events, warnings } = await rig({
      maxPullWaitMs: 60_000,
      pullPoint: { grantMs: 5000, renew: 'reject' },
    });
    // Eight subscriptions of 5 s each: the renewal cycles of eight minutes at a 60 s cadence.
    await until(() => (cam.eventStats()?.resubscriptions ?? 0) >= 7, '7 resubscriptions', 120_000);
    expect(calls(camera, 'renew').every((r) => r.refused)).toBe(true);
    expect(calls(camera, 'renew').length).toBeGreaterThanOrEqual(7);
    // Each refused subscription is given back before the next is taken.
    expect(calls(camera, 'unsubscribe').length).toBeGreaterThanOrEqual(7);
    expect(camera.subscriptions()).toBeLessThanOrEqual(2);
    expect(kinds(events, 'device.offline')).toEqual([]);
    expect(kinds(events, 'device.online')).toHaveLength(1);
    expect(cam.online()).toBe(true);
    expect(warnings.filter((w) => w.includes('refuses Renew'))).toHaveLength(1);
    // Events keep flowing through the new subscriptions.
    camera.inject('tamper');
    await until(() => kinds(events, 'camera.tamper').length, 'camera.tamper', 30_000);
  }, 180_000);

  it('renewals follow the granted TerminationTime, read on the camera clock (an hour behind ours)', async () => {
    const grant = 5000;
    const { camera, cam, events } = await rig({
      maxPullWaitMs: 60_000,
      clockSkewMs: -3_600_000,
      pullPoint: { grantMs: grant },
    });
    await until(() => calls(camera, 'renew').filter((r) => !r.refused).length >= 5, '5 accepted renewals', 120_000);
    const renewals = calls(camera, 'renew');
    // Not early: each renewal waits for most of the grant (a driver reading the skewed clock renews at once).
    for (const r of renewals) expect(r.at).toBeGreaterThanOrEqual(r.expiredAt! - grant / 2);
    // No pull asks the camera to hold the answer past the renewal.
    for (const p of calls(camera, 'pull')) expect(p.timeoutMs).toBeLessThan(grant);
    expect(cam.eventStats()!.renewals).toBeGreaterThanOrEqual(5);
    expect(kinds(events, 'device.offline')).toEqual([]);
  }, 180_000);

  it('a camera without PullPoint gives snapshots only, said once and shown in its status', async () => {
    const { camera, cam, warnings } = await rig({ events: false, snapshot: true });
    await until(() => cam.note(), 'the status note', 30_000);
    expect(cam.note()).toBe(NO_EVENTS_NOTE);
    // Two stream checks later (a check every 2 s), still one line and no pulls.
    for (let i = 0; i < 2; i++) {
      const frame = cam.latest()!.lastFrameAt!;
      await until(() => cam.latest()!.lastFrameAt! > frame, 'another stream check', 30_000);
    }
    expect(warnings.filter((w) => w.includes('PullPoint'))).toHaveLength(1);
    expect(camera.pullPoint.calls).toEqual([]);
    expect(cam.online()).toBe(true);
    const snap = await cam.snapshot();
    expect(snap.source).toBe('http');
  }, 120_000);
});
