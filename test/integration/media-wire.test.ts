import { hashSecret, newSecret } from '@linli/dashboard';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCATION, makeOutbox, makeUplink, sos, startHub } from '../helpers/in-process.js';
import { until } from '../helpers/processes.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

/** A gateway (outbox + uplink) connected to the hub, with one alarm already delivered. */
async function gateway(hubUrl: string, gatewayId: string, token: string) {
  const box = makeOutbox({ gatewayId });
  cleanup.push(() => box.close());
  const event = await box.enqueue(sos(1), LOCATION);
  const { uplink } = makeUplink(box, { hubUrl, gatewayId, token });
  uplink.start();
  cleanup.push(() => uplink.stop());
  await until(() => uplink.ackedSeq() >= event.seq || null, `${gatewayId}'s event at the hub`);
  return { uplink, event };
}

describe('the media message: validated, size-limited, and only for the sender’s own events', () => {
  it('stores a WebP for a delivered event and refuses everything else with a clear code', async () => {
    const { hub, store, token, url } = await startHub('gw-341302001001');
    cleanup.push(() => hub.stop());
    const otherToken = newSecret();
    await store.upsertGateway('gw-341302001002', hashSecret(otherToken), '341302001001');
    const a = await gateway(url, 'gw-341302001001', token);
    const b = await gateway(url, 'gw-341302001002', otherToken);
    const webp = await sharp({ create: { width: 32, height: 18, channels: 3, background: '#808080' } })
      .webp()
      .toBuffer();
    const msg = { eventId: a.event.id, eventSeq: a.event.seq, cameraId: 'cam-01', takenAt: Date.now() };

    expect(await a.uplink.sendMedia({ ...msg, contentType: 'image/webp', bytes: webp })).toEqual({ ok: true });
    const jpeg = await sharp(webp).jpeg().toBuffer();
    const refusals = await Promise.all([
      a.uplink.sendMedia({ ...msg, contentType: 'image/webp', bytes: jpeg }),
      a.uplink.sendMedia({ ...msg, contentType: 'image/webp', bytes: Buffer.concat([webp, Buffer.alloc(300_000)]) }),
      a.uplink.sendMedia({ ...msg, eventSeq: 99, contentType: 'image/webp', bytes: webp }),
      // Gateway B names A's event under its own sequence: the hub finds B's own event there, not A's.
      b.uplink.sendMedia({ ...msg, contentType: 'image/webp', bytes: webp }),
      a.uplink.sendMedia({ ...msg, contentType: 'image/png' as 'image/webp', bytes: webp }),
    ]);
    expect(refusals.map((r) => (r.ok ? 'ok' : `${r.error.code}: ${r.error.message}`))).toEqual([
      'INVALID_MEDIA: bytes are not a WebP image',
      'INVALID_MEDIA: bytes exceed 262144',
      'UNKNOWN_EVENT: event seq 99 of this gateway is not stored yet',
      `INVALID_MEDIA: event seq 1 of this gateway is not ${a.event.id}`,
      'INVALID_MEDIA: media message failed validation',
    ]);
  });
});
