import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const catalog = {
  has: (t: string) => ['di-safety-sensor', 'onvif-camera'].includes(t),
  types: () => ['di-safety-sensor', 'onvif-camera'],
  protocolOf: (t: string) => (t === 'onvif-camera' ? ('onvif' as const) : ('modbus' as const)),
};

const config = (camera: string) => `version: 1
gateway: { id: gw-341302001001, community: "341302001001" }
dataDir: ./state
hub: { url: http://127.0.0.1:8080, tokenFile: ./gateway.token }
devices:
  - id: door-01
    type: di-safety-sensor
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: 1502, unitId: 1 }
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }
  - id: cam-01
    type: onvif-camera
${camera}
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }
`;

function load(text: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'linli-cam-cfg-')), 'gateway.yaml');
  writeFileSync(file, text);
  return { file, load: () => loadConfig(file, catalog) };
}

describe('camera config', () => {
  it('accepts covers and masks, applies media defaults, resolves the password file against the config', () => {
    const { file, load: run } = load(
      config(`    transport: { kind: onvif, host: 10.0.0.5, username: linli, passwordFile: ./cam.pass }
    covers: [door-01]
    masks: [[[0, 0], [0.5, 0], [0.5, 0.5]]]`),
    );
    const { config: c } = run();
    expect(c.media).toEqual({ keepHours: 72, maxFfmpeg: 4, maxQueued: 500 });
    expect(c.devices[1]).toMatchObject({
      covers: ['door-01'],
      masks: [
        [
          [0, 0],
          [0.5, 0],
          [0.5, 0.5],
        ],
      ],
      transport: { kind: 'onvif', port: 80, passwordFile: join(file, '..', 'cam.pass') },
    });
  });

  it('reports unknown covered devices, masks outside the picture and a wrong transport, with lines', () => {
    const { load: run } = load(
      config(`    transport: { kind: modbus-tcp, host: 10.0.0.5, port: 502, unitId: 1 }
    covers: [door-99]
    masks: [[[0, 0], [1.5, 0], [0.5, 0.5]]]`),
    );
    let err: ConfigError | null = null;
    try {
      run();
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.problems).toEqual([
      expect.objectContaining({ line: 14, field: 'devices[1].masks[0][1][0]', message: expect.stringMatching(/<= 1/) }),
    ]);
    const { load: run2 } = load(
      config(`    transport: { kind: modbus-tcp, host: 10.0.0.5, port: 502, unitId: 1 }
    covers: [door-99]`),
    );
    try {
      run2();
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err!.problems.map((p) => [p.line, p.field, p.message])).toEqual([
      [12, 'devices[1].transport.kind', 'onvif-camera speaks onvif; use transport kind onvif'],
      [13, 'devices[1].covers[0]', 'covers "door-99", which is not another device of this gateway'],
    ]);
  });
});
