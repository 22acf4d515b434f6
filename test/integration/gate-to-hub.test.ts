import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GateSimulator } from '@linli/drivers';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubRecord } from '../helpers/hub-db.js';
import { GATEWAY_CLI, HUB_CLI, freePort, hubCli, node, type Proc, ready, until } from '../helpers/processes.js';

/**
 * A simulated ISAPI access terminal (a real HTTP server with Digest auth, in
 * this process so the test can force a door), a real gateway process that
 * declares it in YAML with a password file, and a real hub process: a forced
 * door becomes a critical alarm at the hub, and no resident's name, card
 * number or employee number reaches the gateway's log, its buffer or the hub.
 */
const GW = 'gw-341302001002';
let dir: string;
let hub: Proc;
let gateway: Proc;
let sim: GateSimulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'linli-gate-'));
  const hubPort = await freePort();
  const hubData = join(dir, 'hub');
  const token = hubCli(hubData, ['gateway', 'add', '--id', GW]);
  hub = node(HUB_CLI, ['serve', '--data', hubData, '--port', String(hubPort)]);
  await ready(hub, 'hub');
  sim = new GateSimulator({ username: 'admin', password: 'Gate-pw-5521', doors: 2, heartbeatMs: 500, seed: 5 });
  await sim.start();
  const gwDir = join(dir, 'gw');
  mkdirSync(gwDir);
  writeFileSync(join(gwDir, 'gateway.token'), token, { mode: 0o600 });
  writeFileSync(join(gwDir, 'gate.pw'), 'Gate-pw-5521\n', { mode: 0o600 });
  writeFileSync(
    join(gwDir, 'gateway.yaml'),
    `version: 1
gateway:
  id: ${GW}
  community: "341302001002"
dataDir: ./state
hub:
  url: http://127.0.0.1:${hubPort}
  tokenFile: ./gateway.token
devices:
  - id: gate-east
    type: isapi-door-terminal
    transport:
      kind: isapi
      host: 127.0.0.1
      port: ${sim.port}
      username: admin
      passwordFile: ./gate.pw
      doors: ["东门", "东门侧门"]
      heartbeatTimeoutMs: 5000
    location: { lng: 117.02, lat: 33.65, gridId: "341302001002001" }
`,
  );
  gateway = node(GATEWAY_CLI, ['run', '--config', join(gwDir, 'gateway.yaml')]);
});

afterAll(async () => {
  await gateway?.stop();
  await sim?.stop();
  await hub?.stop();
});

describe('gate → gateway → hub', () => {
  it('delivers a forced door as a critical gate.forced alarm, and resident data stays at the gate', async () => {
    await until(() => sim.streamCount() > 0, 'the gateway to open the alert stream', 30_000);
    for (let i = 0; i < 5; i++) sim.pass({ method: i % 2 ? 'face' : 'card', direction: i % 2 ? 'out' : 'in' });
    sim.refused(2);
    sim.forced(2);
    const rows = await until(
      () => {
        const r = hubRecord(join(dir, 'hub'), GW).rows;
        return r.some((x) => x.kind === 'gate.forced') && r.filter((x) => x.kind === 'gate.pass').length === 5 && r;
      },
      'the forced door at the hub',
      30_000,
    );
    expect(rows.find((r) => r.kind === 'gate.forced')).toMatchObject({ severity: 'critical' });
    expect(rows.filter((r) => r.kind === 'gate.refused')).toHaveLength(2);
    const db = new Database(join(dir, 'hub', 'hub.sqlite'), { readonly: true });
    const bodies = (db.prepare('SELECT body FROM events WHERE gateway_id = ?').all(GW) as { body: string }[]).map(
      (b) => b.body,
    );
    db.close();
    const forced = JSON.parse(bodies.find((b) => b.includes('gate.forced'))!);
    expect(forced).toMatchObject({
      deviceId: 'gate-east',
      payload: { door: '东门侧门' },
      location: { gridId: '341302001002001' },
    });

    // Privacy: the gateway's log, its SQLite buffer files and the hub's rows hold none of the simulator's personal data.
    const personal = [
      ...sim.log.flatMap((r) => [r.name, r.cardNo, r.employeeNoString].filter((x): x is string => !!x)),
      'Gate-pw-5521',
    ];
    expect(personal.length).toBeGreaterThan(10);
    const gwState = join(dir, 'gw', 'state');
    const buffer = ['buffer.sqlite', 'buffer.sqlite-wal']
      .map((f) => {
        try {
          return readFileSync(join(gwState, f)).toString('utf8');
        } catch {
          return '';
        }
      })
      .join('');
    expect(gateway.out()).toContain('gate-east'); // the log being searched is the gate's own
    const haystack = [gateway.out(), gateway.err(), buffer, bodies.join('\n'), hub.out()].join('\n');
    for (const s of personal) expect(haystack, `"${s}" leaked`).not.toContain(s);
    // The masked form does travel: the last four digits of a card, never the whole number.
    const card = sim.log.find((r) => r.cardNo && r.minor === 0x01)!.cardNo!;
    expect(bodies.join('\n')).toContain(`****${card.slice(-4)}`);
  });
});
