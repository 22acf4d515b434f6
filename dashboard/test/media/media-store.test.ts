import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { MediaStore } from '../../src/media/media-store.js';
import { describeEachDialect } from '../support/dialects.js';

const pic = (n: number) => ({
  eventId: `01JZ00000000000000000000${String(n).padStart(2, '0')}`,
  gatewayId: 'gw-a',
  gridId: '341302001001001',
  cameraId: 'cam-01',
  takenAt: n,
  contentType: 'image/webp',
  bytes: Buffer.from([n]),
});

describeEachDialect('MediaStore', (ctx) => {
  it('keeps one picture per event, with its grid, and prunes old ones oldest first in chunks', async () => {
    const m = new MediaStore(ctx.db);
    for (let n = 1; n <= 5; n++) await m.put(pic(n));
    await m.put({ ...pic(1), bytes: Buffer.from([99]) });
    expect(await m.get(pic(1).eventId)).toMatchObject({ gridId: '341302001001001', bytes: Buffer.from([1]) });
    const future = Date.now() + 1000;
    expect(await m.prune(future, 3)).toBe(3);
    expect(await m.prune(future, 3)).toBe(2);
    expect(await m.get(pic(5).eventId)).toBeNull();
    await m.put(pic(6));
    expect(await m.prune(Date.now() - 86_400_000, 10)).toBe(0);
    expect(await m.get(pic(6).eventId)).not.toBeNull();
  });

  it('returns a picture byte for byte (NULs, high bytes, 200 KB) as a Buffer', async () => {
    const m = new MediaStore(ctx.db);
    const bytes = Buffer.concat([Buffer.from([0, 0, 255, 0x5c, 0x27]), randomBytes(200_000)]);
    await m.put({ ...pic(7), bytes });
    const got = (await m.get(pic(7).eventId))!;
    expect(Buffer.isBuffer(got.bytes)).toBe(true);
    expect(got.bytes.equals(bytes)).toBe(true);
    expect(got).toMatchObject({ gatewayId: 'gw-a', cameraId: 'cam-01', takenAt: 7, contentType: 'image/webp' });
  });

  it('one node stores a picture, another serves it (same database)', async () => {
    await new MediaStore(ctx.db).put(pic(8));
    expect((await new MediaStore(ctx.db).get(pic(8).eventId))?.bytes).toEqual(Buffer.from([8]));
  });
});
