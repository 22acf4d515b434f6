import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { readGbPassword } from '../../src/gb28181/gb-link.js';

const catalog = {
  has: (t: string) => ['di-safety-sensor', 'onvif-camera', 'gb28181-camera'].includes(t),
  types: () => ['di-safety-sensor', 'onvif-camera', 'gb28181-camera'],
  protocolOf: (t: string) =>
    t === 'onvif-camera' ? ('onvif' as const) : t === 'gb28181-camera' ? ('gb28181' as const) : ('modbus' as const),
};

const config = (gb: string, door = '', cam = 'gbId: "34130200001320000001"') => `version: 1
gateway: { id: gw-341302001001, community: "341302001001" }
dataDir: ./state
hub: { url: http://127.0.0.1:8080, tokenFile: ./gateway.token }
${gb}
devices:
  - id: door-01
    type: di-safety-sensor
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: 1502, unitId: 1 }
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }${door}
  - id: cam-01
    type: onvif-camera
    transport: { kind: onvif, host: 10.0.0.5, username: linli, passwordFile: ./cam.pass }
    ${cam}
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }
`;

const GB = `gb28181:
  id: "34130200002000000001"
  passwordFile: ./gb.pw
  upper: { id: "34130000002000000001", domain: "3413000000", host: 10.10.1.2 }`;

function load(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'linli-gb-cfg-'));
  const file = join(dir, 'gateway.yaml');
  writeFileSync(file, text);
  return { dir, run: () => loadConfig(file, catalog) };
}

function problems(text: string) {
  try {
    load(text).run();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('gb28181 config', () => {
  it('applies the standard defaults and resolves the password file against the config', () => {
    const { dir, run } = load(config(GB));
    const { config: c } = run();
    expect(c.gb28181).toMatchObject({
      upper: { port: 5060, transport: 'udp' },
      expiresS: 3600,
      keepaliveS: 60,
      keepaliveMisses: 3,
      charset: 'GB2312',
      relaySilenceS: 10,
      passwordFile: join(dir, 'gb.pw'),
    });
  });

  it('refuses a relay silence of zero (every relay would end at once), with its line', () => {
    const p = problems(config(GB + '\n  relaySilenceS: 0'));
    expect(p).toEqual([expect.objectContaining({ line: 9, field: 'gb28181.relaySilenceS' })]);
  });

  it('names every wrong code with its line at once', () => {
    const p = problems(
      config(
        GB.replace('34130000002000000001', '34130000001320000009').replace(
          '34130200002000000001',
          '34130200001340000001',
        ),
        '',
        'gbId: "34130200002000000001"',
      ),
    );
    expect(p).toEqual([
      expect.objectContaining({ line: 6, field: 'gb28181.id', message: expect.stringMatching(/type 134/) }),
      expect.objectContaining({ line: 8, field: 'gb28181.upper.id', message: expect.stringMatching(/type 200/) }),
      expect.objectContaining({ line: 17, field: 'devices[1].gbId', message: expect.stringMatching(/type 200/) }),
    ]);
    // A code that is not 20 digits fails the schema, with its line too.
    const short = problems(config(GB, '', 'gbId: "3413020000132000000"'));
    expect(short).toEqual([expect.objectContaining({ line: 17, field: 'devices[1].gbId' })]);
  });

  it('refuses a GB code on a device that is not a camera, and a code used twice', () => {
    const p = problems(config(GB, '\n    gbId: "34130200001320000001"'));
    expect(p.map((x) => x.field)).toEqual(['devices[0].gbId', 'devices[1].gbId']);
    expect(p[0]!.message).toMatch(/not a camera/);
    expect(p[1]!.message).toMatch(/already used by door-01/);
  });

  it('lets a camera registered to the gateway take a gbId, and refuses its own code when an ONVIF camera has it', () => {
    const down = (extra: string) => `
  - id: ipc-west
    type: gb28181-camera
    transport:
      kind: gb28181
      deviceId: "34130200001320000001"
      server: { id: "34130200002000000001" }
      passwordFile: ./cams.pw${extra}
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }
`;
    const clash = problems(config(GB) + down('').slice(1));
    expect(clash).toEqual([
      expect.objectContaining({ field: 'devices[2].transport.deviceId', message: expect.stringMatching(/cam-01/) }),
    ]);
    const { config: c } = load(
      config(GB) + down('\n    gbId: "34130200001320000002"\n    gbName: 西门').slice(1),
    ).run();
    expect(c.devices[2]).toMatchObject({ gbId: '34130200001320000002', gbName: '西门' });
  });

  it('refuses an unknown field in the section with its line', () => {
    const p = problems(config(GB + '\n  pasword: x'));
    expect(p[0]).toMatchObject({ line: 9, field: expect.stringMatching(/gb28181/) });
  });

  it('the password file must be 0600 and not empty', () => {
    const { dir } = load('');
    const file = join(dir, 'gb.pw');
    writeFileSync(file, 'pw\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    expect(() => readGbPassword(file, 'gateway.yaml')).toThrow(/chmod 600/);
    chmodSync(file, 0o600);
    expect(readGbPassword(file, 'gateway.yaml')).toBe('pw');
    writeFileSync(file, '\n');
    expect(() => readGbPassword(file, 'gateway.yaml')).toThrow(/empty/);
    expect(() => readGbPassword(join(dir, 'none'), 'gateway.yaml')).toThrow(/ENOENT/);
  });
});
