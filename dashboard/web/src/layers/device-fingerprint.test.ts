import type { GatewayView } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { deviceFingerprint } from './device-fingerprint.js';

const status = (depth: number, now: number): GatewayView['status'] => ({
  now,
  buffer: {
    depth,
    bytes: depth * 400,
    lastSeq: 10,
    oldestReceivedAt: null,
    evictedTelemetry: 0,
    refusedAlarms: 0,
    diskFull: false,
  },
  devices: { total: 6, online: 6 },
  replayRate: 0,
});
const view = (over: Partial<GatewayView> = {}): GatewayView => ({
  id: 'gw-341302001001',
  connected: true,
  watermark: 10,
  status: status(0, 1000),
  statusAt: 1000,
  clockSkewMs: 0,
  clockSuspect: false,
  lostTelemetry: 0,
  areaCode: '341302001001',
  ...over,
});

describe('deviceFingerprint', () => {
  it('is the same for a push that changes nothing drawn (a new array, a later status, more delivered)', () => {
    const first = deviceFingerprint([view()]);
    expect(deviceFingerprint([view()])).toBe(first);
    expect(deviceFingerprint([view({ watermark: 99, statusAt: 3000, status: status(0, 3000), clockSkewMs: 40 })])).toBe(
      first,
    );
  });

  it('changes when a symbol does: off line, a backlog (its size), another place, a gateway more', () => {
    const first = deviceFingerprint([view()]);
    const changed = [
      [view({ connected: false })],
      [view({ status: status(250, 1000) })],
      [view({ areaCode: '341302002001' })],
      [view(), view({ id: 'gw-341302002001', areaCode: '341302002001' })],
      [],
    ].map(deviceFingerprint);
    for (const f of changed) expect(f).not.toBe(first);
    expect(new Set(changed).size).toBe(changed.length);
  });
});
