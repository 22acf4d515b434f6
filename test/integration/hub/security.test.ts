import { readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../../dashboard/src/auth/totp.js';
import { AREAS, startTestHub } from '../../helpers/hub-fixture.js';
import { until } from '../../helpers/processes.js';

describe('hub: authentication and hardening', () => {
  let h: Awaited<ReturnType<typeof startTestHub>>;
  // Read before the first test spends it: the hub deletes the file once an administrator exists.
  let setupToken = '';
  beforeAll(async () => {
    h = await startTestHub();
    setupToken = readFileSync(h.setupTokenFile!, 'utf8').trim();
  }, 60_000);
  afterAll(() => h.stop());

  it('has no default account: the first admin comes from the one-time setup token, which works once', async () => {
    expect(h.setupTokenFile).toBeTruthy();
    expect(statSync(h.setupTokenFile!).mode & 0o777).toBe(0o600);
    const bad = await h.api('POST', '/api/setup', {
      body: {
        setupToken: 'x'.repeat(43),
        username: 'root',
        displayName: 'x',
        password: 'Aa1!aaaaaaaa',
        areaCode: '341300',
      },
    });
    expect(bad.status).toBe(403);
    const weak = await h.api('POST', '/api/setup', {
      body: { setupToken, username: 'admin', displayName: '管理员', password: 'password', areaCode: '341300' },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('WEAK_PASSWORD');
    const ok = await h.api('POST', '/api/setup', {
      body: { setupToken, username: 'admin', displayName: '管理员', password: 'Str0ng-Passw0rd', areaCode: '341300' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.totpUri).toMatch(/^otpauth:\/\/totp\//);
    const again = await h.api('POST', '/api/setup', {
      body: { setupToken, username: 'admin2', displayName: 'x', password: 'Str0ng-Passw0rd', areaCode: '341300' },
    });
    expect(again.status).toBe(403);

    // The admin needs the second factor: password alone is not enough, a used code is not accepted twice.
    const noCode = await h.api('POST', '/api/login', { body: { username: 'admin', password: 'Str0ng-Passw0rd' } });
    expect(noCode.body.error.code).toBe('TOTP_REQUIRED');
    const code = totpCode(ok.body.totpSecret, Date.now());
    const login = await h.api('POST', '/api/login', {
      body: { username: 'admin', password: 'Str0ng-Passw0rd', totp: code },
    });
    expect(login.status).toBe(200);
    const replay = await h.api('POST', '/api/login', {
      body: { username: 'admin', password: 'Str0ng-Passw0rd', totp: code },
    });
    expect(replay.body.error.code).toBe('TOTP_INVALID');
  });

  it('locks an account after five wrong passwords, even for the right one, and says when to retry', async () => {
    const u = await h.user('brute.target', 'street_leader', AREAS.streetA);
    for (let i = 0; i < 5; i++) {
      const r = await h.api('POST', '/api/login', { body: { username: 'brute.target', password: `Wrong-pass-${i}` } });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('BAD_CREDENTIALS');
    }
    const locked = await h.api('POST', '/api/login', { body: { username: 'brute.target', password: u.password } });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('LOCKED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    // The same message for an unknown user as for a wrong password: no account enumeration.
    const unknown = await h.api('POST', '/api/login', { body: { username: 'nobody.here', password: 'Wrong-pass-1' } });
    expect(unknown.body.error.message).toBe(
      (await h.api('POST', '/api/login', { body: { username: 'brute.target2', password: 'x' } })).body.error.message,
    );
  });

  it('refuses an expired session on REST and disconnects its socket', async () => {
    const u = await h.user('short.lived', 'city_operator', AREAS.city);
    const { socket } = await h.cockpitSocket(u.token);
    expect((await h.api('GET', '/api/me', { token: u.token })).status).toBe(200);
    // Age the session past its idle limit, as 31 idle minutes would.
    await h.store.db.run('UPDATE sessions SET last_seen = last_seen - ? WHERE user_id = ?', [31 * 60_000, u.user.id]);
    expect((await h.api('GET', '/api/me', { token: u.token })).status).toBe(401);
    await until(() => !socket.connected, 'socket of the expired session disconnected', 15_000);
    const again = h.connect('/cockpit', { key: u.token });
    await expect(new Promise((_, reject) => again.once('connect_error', reject))).rejects.toThrow(/unauthorized/);
  });

  it('logs out: the token stops working at once', async () => {
    const u = await h.user('logout.user', 'city_operator', AREAS.city);
    expect((await h.api('POST', '/api/logout', { token: u.token })).status).toBe(200);
    expect((await h.api('GET', '/api/events', { token: u.token })).status).toBe(401);
  });

  it('refuses a revoked gateway: its live connection is cut and its next handshake fails', async () => {
    const installer = await h.user('installer.a', 'installer', AREAS.communityA);
    const token = await h.gateway('gw-revoke', AREAS.communityA);
    const gw = await h.gatewaySocket('gw-revoke', token);
    const outside = await h.user('installer.b', 'installer', AREAS.communityB);
    expect((await h.api('POST', '/api/gateways/gw-revoke/revoke', { token: outside.token })).status).toBe(404);
    expect((await h.api('POST', '/api/gateways/gw-revoke/revoke', { token: installer.token })).status).toBe(200);
    await until(() => !gw.connected, 'revoked gateway disconnected');
    await expect(h.gatewaySocket('gw-revoke', token)).rejects.toThrow(/unauthorized/);
  });

  it('rejects oversized, malformed and unexpected requests with a structured error', async () => {
    const big = await h.api('POST', '/api/login', { rawBody: JSON.stringify({ username: 'a'.repeat(70_000) }) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('BODY_TOO_LARGE');
    const malformed = await h.api('POST', '/api/login', { rawBody: '{"username": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('MALFORMED_JSON');
    const extra = await h.api('POST', '/api/login', { body: { username: 'abc', password: 'x', role: 'admin' } });
    expect(extra.status).toBe(400);
    expect(extra.body.error.issues.length).toBeGreaterThan(0);
    const wrongType = await h.api('POST', '/api/login', {
      rawBody: 'username=a',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(wrongType.status).toBe(415);
    expect((await h.api('DELETE', '/api/events')).status).toBe(405);
    expect((await h.api('GET', '/api/nothing-here')).status).toBe(404);
  });

  it('refuses actions from a wall display session', async () => {
    await h.user('wall.display', 'city_operator', AREAS.city);
    const token = await h.hub.auth.issueDisplaySession('wall.display', 7, Date.now());
    expect((await h.api('GET', '/api/events', { token })).status).toBe(200);
    const act = await h.api('POST', '/api/commands', {
      token,
      body: { gatewayId: 'gw-a', deviceId: 'gate-01', name: 'gate.open', args: {} },
    });
    expect(act.status).toBe(403);
  });

  it('serves an OpenAPI document that lists every route', async () => {
    const doc = await h.api('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    for (const p of ['/api/login', '/api/commands', '/api/commands/{id}', '/api/gateways/{id}/revoke'])
      expect(Object.keys(doc.body.paths)).toContain(p);
  });

  it('never writes passwords, tokens or TOTP secrets to the log', async () => {
    const u = await h.user('log.check', 'community_worker', AREAS.communityA);
    await h.api('POST', '/api/login', { body: { username: 'log.check', password: `${u.password}-wrong` } });
    // A refused socket logs its handshake: the redaction must hold there too.
    const s = h.connect('/cockpit', { key: `${u.token.slice(0, 20)}-not-a-session-token` });
    await new Promise((resolve) => s.once('connect_error', resolve));
    const log = h.logLines.join('\n');
    expect(log).toContain('cockpit refused');
    for (const secret of [u.password, u.token, u.totpSecret!, setupToken]) expect(log.includes(secret)).toBe(false);
  });
});
