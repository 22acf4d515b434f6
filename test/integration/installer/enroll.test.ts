import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EnrollmentCodes } from '../../../dashboard/src/enrollment/index.js';
import { AREAS, startTestHub } from '../../helpers/hub-fixture.js';
import { COMMUNITY, configText, gw } from './cli-run.js';

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

describe('enrollment: a one-time code from the hub for the gateway’s own token', () => {
  it('enrolls with a fresh code, refuses a used or expired one clearly, and keeps the token 0600', async () => {
    const hub = await startTestHub();
    stops.push(() => hub.stop());
    const installer = await hub.user('installer-a', 'installer', AREAS.streetA);
    const worker = await hub.user('grid-a', 'grid_worker', AREAS.gridA1);

    // Only those who provision, and only inside their own area.
    const issue = (token: string, areaCode: string, gatewayId = 'gw-test-01') =>
      hub.api('POST', '/api/enrollment-codes', { token, body: { gatewayId, areaCode } });
    expect((await issue(worker.token, COMMUNITY)).status).toBe(403);
    expect((await issue(installer.token, AREAS.communityB)).status).toBe(403);
    expect((await issue(installer.token, '341302001999')).status).toBe(400);
    const issued = await issue(installer.token, COMMUNITY);
    expect(issued.status).toBe(200);
    expect(issued.body.code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(issued.body.expiresAt - Date.now()).toBeGreaterThan(29 * 60_000);
    // Listed as pending without the code itself; the code is not stored anywhere in clear.
    const pending = await hub.api('GET', '/api/enrollment-codes', { token: installer.token });
    expect(pending.body.pending).toEqual([expect.objectContaining({ gatewayId: 'gw-test-01', areaCode: COMMUNITY })]);
    expect(JSON.stringify(pending.body)).not.toContain(issued.body.code);
    const raw = issued.body.code.replace(/-/g, '');
    expect(JSON.stringify(await hub.store.db.all('SELECT * FROM enrollment_codes'))).not.toContain(raw);

    const dir = mkdtempSync(join(tmpdir(), 'linli-enroll-'));
    const cfg = join(dir, 'gateway.yaml');
    writeFileSync(cfg, configText({ hub: hub.url }));
    const tokenFile = join(dir, 'state', 'gateway.token');

    // Typed the way people type: lower case, spaces instead of dashes.
    const typed = issued.body.code.toLowerCase().replace(/-/g, ' ');
    const ok = await gw(['enroll', '--config', cfg, '--code', typed]);
    expect(ok.err + ok.out).not.toMatch(/failed/);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('enrolled: gateway gw-test-01, community 341302001001');
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    const token = readFileSync(tokenFile, 'utf8').trim();
    expect(ok.out + ok.err).not.toContain(token);
    // The token works: the hub accepts the gateway, in its community.
    const sock = await hub.gatewaySocket('gw-test-01', token);
    expect(sock.connected).toBe(true);
    expect(await hub.store.gateway('gw-test-01')).toMatchObject({ areaCode: COMMUNITY, revoked: false });

    const used = await gw(['enroll', '--config', cfg, '--code', issued.body.code, '--json']);
    expect(used.code).toBe(1);
    expect(JSON.parse(used.out)).toMatchObject({ ok: false, code: 'ENROLL_CODE_USED' });
    expect(JSON.parse(used.out).message).toContain('already used');

    // A code issued two hours ago with the default 30-minute life.
    const stale = await new EnrollmentCodes(hub.store.db).issue(
      'gw-test-01',
      COMMUNITY,
      installer.user.id,
      Date.now() - 2 * 3600_000,
    );
    const expired = await gw(['enroll', '--config', cfg, '--code', stale.code]);
    expect(expired.code).toBe(1);
    expect(expired.out).toContain('expired');
    expect(expired.out).toContain('ENROLL_CODE_EXPIRED');
    // A failed enroll leaves the working token alone.
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token);

    // A code for another gateway id is refused rather than silently re-keying that gateway.
    const other = await issue(installer.token, COMMUNITY, 'gw-other');
    const wrong = await gw(['enroll', '--config', cfg, '--code', other.body.code, '--json']);
    expect(JSON.parse(wrong.out)).toMatchObject({ ok: false, code: 'ENROLL_CODE_OTHER_GATEWAY' });

    // Every attempt is in the audit log, successes and refusals.
    const audit = await hub.hub.services.auditLog.list(
      { userId: 'x', role: 'admin', areaCode: AREAS.city },
      { action: 'gateway:enroll' },
    );
    expect(audit.entries.map((e) => e.outcome).sort()).toEqual(['denied', 'denied', 'denied', 'ok']);

    // Neither the code nor the token reaches the hub's log.
    const log = hub.logLines.join('\n');
    expect(log.includes(issued.body.code) || log.includes(raw) || log.includes(token)).toBe(false);

    // Guessing is rate-limited per address.
    let status = 0;
    for (let i = 0; i < 12 && status !== 429; i++)
      status = (await hub.api('POST', '/api/enroll', { body: { code: `GUES-SING-${String(i).padStart(4, 'X')}` } }))
        .status;
    expect(status).toBe(429);
  }, 60_000);

  it('tells the installer when the hub cannot be reached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-enroll-'));
    const cfg = join(dir, 'gateway.yaml');
    writeFileSync(cfg, configText({ hub: 'http://127.0.0.1:9' }));
    const r = await gw(['enroll', '--config', cfg, '--code', 'ABCD-EFGH-JKMN', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, code: 'HUB_UNREACHABLE' });
  });
});
