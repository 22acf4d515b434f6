import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREAS, startTestHub } from '../../../test/helpers/hub-fixture.js';
import type { TestHub } from './insider-hub.js';

/**
 * Issue 17, item 6: Socket.IO's root namespace `/` accepted connections with no
 * credentials at all. The hub serves nothing there; every connection is refused,
 * with or without a valid session. (No storage is involved: SQLite only.)
 */
describe('insider: the root Socket.IO namespace is closed', () => {
  let h: TestHub;
  beforeAll(async () => {
    h = await startTestHub();
  }, 60_000);
  afterAll(() => h.stop(), 60_000);

  const outcome = (ns: string, auth: object) =>
    new Promise<string>((resolve) => {
      const s = h.connect(ns, auth);
      s.once('connect', () => resolve('connected'));
      s.once('connect_error', (err) => resolve(`refused: ${err.message}`));
    });

  it('refuses a stranger and a signed-in user alike on `/`, while /cockpit still takes the session', async () => {
    expect(await outcome('/', {})).toMatch(/^refused: unauthorized/);
    const u = await h.user('root.probe', 'city_operator', AREAS.city);
    expect(await outcome('/', { key: u.token })).toMatch(/^refused: unauthorized/);
    expect(await outcome('/cockpit', { key: u.token })).toBe('connected');
  });
});
