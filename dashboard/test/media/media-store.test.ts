import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MediaStore } from '../../src/media/media-store.js';

const pic = (n: number) => ({
  eventId: `01JZ00000000000000000000${String(n).padStart(2, '0')}`,
  gatewayId: 'gw-a',
  gridId: '341302001001001',
  cameraId: 'cam-01',
  takenAt: n,
  contentType: 'image/webp',
  bytes: Buffer.from([n]),
});

describe('MediaStore', () => {
  it('keeps one picture per event, with its grid, and prunes old ones oldest first in chunks', () => {
    const m = new MediaStore(join(mkdtempSync(join(tmpdir(), 'linli-media-')), 'media.sqlite'));
    for (let n = 1; n <= 5; n++) m.put(pic(n));
    m.put({ ...pic(1), bytes: Buffer.from([99]) });
    expect(m.get(pic(1).eventId)).toMatchObject({ gridId: '341302001001001', bytes: Buffer.from([1]) });
    const future = Date.now() + 1000;
    expect(m.prune(future, 3)).toBe(3);
    expect(m.prune(future, 3)).toBe(2);
    expect(m.get(pic(5).eventId)).toBeNull();
    m.put(pic(6));
    expect(m.prune(Date.now() - 86_400_000, 10)).toBe(0);
    expect(m.get(pic(6).eventId)).not.toBeNull();
    m.close();
  });
});
