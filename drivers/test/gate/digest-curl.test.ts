import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { DigestSession, digestResponse, parseAuthParams, parseChallenge } from '../../src/gate/digest.js';
import { IsapiClient } from '../../src/gate/isapi-client.js';
import { GateSimulator } from '../../src/sim/gate-sim.js';

/** curl is the independent Digest peer (Debian's curl); asynchronous so the in-process server keeps serving. */
const run = promisify(execFile);
async function curl(args: string[]): Promise<{ code: number; body: string }> {
  const { stdout } = await run('curl', ['-s', '--max-time', '10', '-w', '\n%{http_code}', ...args]).catch((err) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('curl is needed for this test: apt-get install curl');
    throw err;
  });
  const i = stdout.lastIndexOf('\n');
  return { body: stdout.slice(0, i), code: Number(stdout.slice(i + 1)) };
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

describe('Digest cross-checked with curl --digest', () => {
  it("the simulator's Digest check accepts curl with the right password and refuses a wrong one", async () => {
    const sim = new GateSimulator({ username: 'admin', password: 'S3cret-gate!', doors: 2, lockAfter: 0 });
    await sim.start();
    cleanup.push(() => sim.stop());
    const base = `http://127.0.0.1:${sim.port}`;
    const ok = await curl(['--digest', '-u', 'admin:S3cret-gate!', `${base}/ISAPI/System/deviceInfo`]);
    expect(ok.code).toBe(200);
    expect(ok.body).toContain('<DeviceInfo');
    const bad = await curl(['--digest', '-u', 'admin:wrong', `${base}/ISAPI/System/deviceInfo`]);
    expect(bad.code).toBe(401);
    const open = await curl([
      '--digest',
      '-u',
      'admin:S3cret-gate!',
      '-X',
      'PUT',
      '-H',
      'Content-Type: application/xml',
      '-d',
      '<RemoteControlDoor><cmd>open</cmd></RemoteControlDoor>',
      `${base}/ISAPI/AccessControl/RemoteControl/door/2`,
    ]);
    expect(open.code).toBe(200);
    expect(open.body).toContain('<statusCode>1</statusCode>');
    expect(sim.remoteOpens).toEqual([expect.objectContaining({ door: 2, username: 'admin' })]);
    sim.pass({ method: 'card' });
    const search = await curl([
      '--digest',
      '-u',
      'admin:S3cret-gate!',
      '-X',
      'POST',
      '-H',
      'Content-Type: application/json',
      '-d',
      JSON.stringify({
        AcsEventCond: {
          searchID: 'x',
          searchResultPosition: 0,
          maxResults: 30,
          major: 0,
          minor: 0,
          startTime: '2000-01-01T00:00:00+08:00',
          endTime: '2100-01-01T00:00:00+08:00',
        },
      }),
      `${base}/ISAPI/AccessControl/AcsEvent?format=json`,
    ]);
    expect(search.code).toBe(200);
    expect(JSON.parse(search.body).AcsEvent.numOfMatches).toBe(2); // the remote open and the card pass
  });

  it("our response value equals curl's for curl's own nonce count and cnonce", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      if (req.headers.authorization) seen.push(req.headers.authorization);
      res.writeHead(401, {
        'WWW-Authenticate':
          'Digest realm="linli-test", qop="auth", nonce="0123456789abcdef", opaque="op", algorithm=MD5',
      });
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanup.push(() => new Promise((r) => server.close(() => r())));
    const port = (server.address() as { port: number }).port;
    await curl([
      '--digest',
      '-u',
      'gateuser:p@ss:word',
      `http://127.0.0.1:${port}/ISAPI/Event/notification/alertStream?x=1`,
    ]);
    expect(seen).toHaveLength(1);
    const p = parseAuthParams(seen[0]!.replace(/^Digest\s+/i, ''));
    const ours = digestResponse({
      algorithm: 'MD5',
      username: 'gateuser',
      realm: 'linli-test',
      password: 'p@ss:word',
      method: 'GET',
      uri: p.get('uri')!,
      nonce: '0123456789abcdef',
      qop: 'auth',
      nc: p.get('nc')!,
      cnonce: p.get('cnonce')!,
    });
    expect(p.get('uri')).toBe('/ISAPI/Event/notification/alertStream?x=1');
    expect(ours).toBe(p.get('response'));
    // And the header our session builds carries the fields curl sends, so a server that accepts curl accepts us.
    const s = new DigestSession('gateuser', 'p@ss:word');
    s.accept(
      parseChallenge(['Digest realm="linli-test", qop="auth", nonce="0123456789abcdef", opaque="op", algorithm=MD5'])!,
    );
    const mine = parseAuthParams(s.authorize('GET', '/a')!.replace(/^Digest\s+/i, ''));
    for (const k of ['username', 'realm', 'nonce', 'uri', 'response', 'opaque', 'qop', 'nc', 'cnonce'])
      expect(mine.has(k)).toBe(true);
  });

  it('our client renews a stale nonce without failing the request', async () => {
    const sim = new GateSimulator({ username: 'admin', password: 'pw-1234', lockAfter: 0 });
    await sim.start();
    cleanup.push(() => sim.stop());
    const client = new IsapiClient({
      host: '127.0.0.1',
      port: sim.port,
      username: 'admin',
      password: 'pw-1234',
      timeoutMs: 5000,
    });
    for (let i = 0; i < 3; i++) {
      sim.expireNonces();
      const res = await client.request('GET', '/ISAPI/System/deviceInfo');
      expect(res.status).toBe(200);
    }
    // The first request had no nonce to reuse; the next two reused an expired one and were told it was stale.
    expect(sim.staleAnswers).toBe(2);
  });

  it('wrong passwords lock the user out, and the client says which of the two happened', async () => {
    const sim = new GateSimulator({ username: 'admin', password: 'pw-1234', lockAfter: 2, lockMs: 60_000 });
    await sim.start();
    cleanup.push(() => sim.stop());
    const opts = { host: '127.0.0.1', port: sim.port, username: 'admin', timeoutMs: 5000 };
    const wrong = new IsapiClient({ ...opts, password: 'guess' });
    await expect(wrong.request('GET', '/ISAPI/System/deviceInfo')).rejects.toMatchObject({
      code: 'AUTH',
      message: expect.stringContaining('wrong username or password'),
    });
    await expect(wrong.request('GET', '/ISAPI/System/deviceInfo')).rejects.toMatchObject({
      code: 'AUTH',
      message: expect.stringContaining('locked'),
    });
    const right = new IsapiClient({ ...opts, password: 'pw-1234' });
    await expect(right.request('GET', '/ISAPI/System/deviceInfo')).rejects.toMatchObject({
      message: expect.stringContaining('locked'),
    });
  });
});
