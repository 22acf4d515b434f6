import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREAS, startTestHub } from '../../../test/helpers/hub-fixture.js';
import { COMPRESS_MIN_BYTES } from '../../src/http/compression.js';
import { curlDecoded, get } from './http-peers.js';

type TestHub = Awaited<ReturnType<typeof startTestHub>>;

/**
 * The hub's own replies, compressed as they are sent (api/router.ts through
 * http/compression.ts): what a browser on a slow link gets is, once decoded by
 * an independent peer (Debian's curl), byte for byte what it gets uncompressed.
 */
describe('API replies over a compressed link', () => {
  let h: TestHub;
  let auth: Record<string, string>;

  beforeAll(async () => {
    h = await startTestHub({ demoRegister: true });
    auth = { authorization: `Bearer ${(await h.user('op-zip', 'city_operator', AREAS.city)).token}` };
  });
  afterAll(() => h.stop());

  it('sends the area tree, the population counts and the OpenAPI document compressed, and the same once decoded', async () => {
    for (const path of ['/api/area-tree', '/api/population/counts', '/api/openapi.json']) {
      const plain = await get(h.url + path, undefined, auth);
      expect(plain.status, path).toBe(200);
      expect(plain.headers['content-encoding'], path).toBeUndefined();
      expect(plain.body.length, path).toBeGreaterThanOrEqual(COMPRESS_MIN_BYTES);
      const br = await get(h.url + path, 'gzip, deflate, br', auth);
      expect(br.headers['content-encoding'], path).toBe('br');
      expect(br.headers.vary, path).toBe('Accept-Encoding');
      expect(br.body.length, path).toBeLessThan(plain.body.length / 3);
      expect(brotliDecompressSync(br.body).equals(plain.body), path).toBe(true);
      for (const coding of ['gzip', 'br'] as const) {
        const peer = await curlDecoded(h.url + path, coding, [`authorization: ${auth.authorization}`]);
        expect(peer.encoding, `${path} ${coding}`).toBe(coding);
        expect(peer.body, `${path} ${coding}`).toBe(plain.body.toString());
      }
    }
  });

  it('sends small replies and refusals as they are', async () => {
    const me = await get(`${h.url}/api/me`, 'br, gzip', auth);
    expect(me.status).toBe(200);
    expect(me.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(me.body.toString()).user.username).toBe('op-zip');
    const refused = await get(`${h.url}/api/area-tree`, 'br, gzip');
    expect(refused.status).toBe(401);
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(refused.body.toString()).error.code).toBe('UNAUTHORIZED');
  });
});
