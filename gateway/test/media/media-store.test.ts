import { mkdtempSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LinliEvent } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { JpegStore } from '../../src/media/jpeg-store.js';
import { MediaOutbox } from '../../src/media/media-outbox.js';
import { coverMap } from '../../src/media/media-service.js';
import { wantsPicture } from '../../src/media/snapshot-linker.js';
import type { DeviceEntry } from '../../src/config/schema.js';

const dir = () => mkdtempSync(join(tmpdir(), 'linli-media-'));

describe('gateway media storage', () => {
  it('prunes kept JPEGs older than the retention time only', async () => {
    const store = new JpegStore(join(dir(), 'media'), 3600_000);
    const old = await store.save('cam-01', 1, Buffer.from('old'), '01HZZZZZZZZZZZZZZZZZZZZZZZ');
    const young = await store.save('cam-01', 2, Buffer.from('young'));
    const twoHoursAgo = (Date.now() - 2 * 3600_000) / 1000;
    utimesSync(store.path(old), twoHoursAgo, twoHoursAgo);
    expect(store.prune()).toBe(1);
    expect(store.list()).toEqual([young]);
  });

  it('bounds the picture queue, dropping the oldest, and releases only pictures whose events the hub has', () => {
    const q = new MediaOutbox(join(dir(), 'media.sqlite'), 3);
    const add = (seq: number) =>
      q.add({ eventId: `E${seq}`, eventSeq: seq, cameraId: 'cam-01', takenAt: seq, webp: Buffer.from([seq]) });
    expect([1, 2, 3].map(add)).toEqual([0, 0, 0]);
    expect(add(4)).toBe(1);
    expect(q.depth()).toBe(3);
    expect(q.ready(3, 10).map((m) => m.eventSeq)).toEqual([2, 3]);
    q.remove(q.ready(3, 1)[0]!.id);
    expect(q.ready(10, 10).map((m) => [m.eventId, m.webp[0]])).toEqual([
      ['E3', 3],
      ['E4', 4],
    ]);
    q.close();
  });

  it('links cameras to what they cover, and picks the events that get a picture', () => {
    const cam = { id: 'cam-01', type: 'onvif-camera', covers: ['door-01', 'smoke-01'] } as DeviceEntry;
    const cam2 = { id: 'cam-02', type: 'onvif-camera', covers: ['door-01'] } as DeviceEntry;
    const gb = { id: 'cam-gb', type: 'gb28181-camera', covers: ['gate-01'] } as DeviceEntry;
    const map = coverMap([cam, cam2, gb, { id: 'door-01', type: 'di-safety-sensor' } as DeviceEntry]);
    expect(Object.fromEntries(map)).toEqual({
      'cam-01': ['cam-01'],
      'door-01': ['cam-01', 'cam-02'],
      'smoke-01': ['cam-01'],
      'cam-02': ['cam-02'],
      'cam-gb': ['cam-gb'],
      'gate-01': ['cam-gb'],
    });
    const e = (kind: string, severity: string) => ({ kind, severity }) as LinliEvent;
    expect(wantsPicture(e('camera.motion', 'notice'))).toBe(true);
    expect(wantsPicture(e('smoke.alarm', 'critical'))).toBe(true);
    expect(wantsPicture(e('gate.held_open', 'warning'))).toBe(true);
    expect(wantsPicture(e('meter.reading', 'info'))).toBe(false);
    expect(wantsPicture(e('device.offline', 'warning'))).toBe(false);
  });
});
