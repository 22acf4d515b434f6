import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@linli/contract';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const catalog = {
  has: (t: string) => ['energy-meter-3p', 'di-safety-sensor'].includes(t),
  types: () => ['di-safety-sensor', 'energy-meter-3p'],
};

function write(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'linli-cfg-')), 'gateway.yaml');
  writeFileSync(file, text);
  return file;
}

const GOOD = `version: 1
gateway:
  id: gw-341302001001
  community: "341302001001"
dataDir: ./state
hub:
  url: http://127.0.0.1:8080
  tokenFile: ./gateway.token
devices:
  - id: meter-01
    type: energy-meter-3p
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: 1502, unitId: 1 }
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }
`;

function problems(text: string, types: Parameters<typeof loadConfig>[1] = catalog) {
  try {
    loadConfig(write(text), types);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('gateway config loading', () => {
  it('loads a good file, applies defaults and resolves paths against the file', () => {
    const file = write(GOOD);
    const loaded = loadConfig(file, catalog);
    expect(loaded.config.devices[0]?.pollMs).toBe(5000);
    expect(loaded.config.devices[0]?.timeoutMs).toBe(1000);
    expect(loaded.dataDir).toBe(join(file, '..', 'state'));
    expect(loaded.tokenFile).toBe(join(file, '..', 'gateway.token'));
  });

  it('names file, line and field for schema errors, all at once', () => {
    const err = problems(
      GOOD.replace('port: 1502', 'port: 99999').replace(
        '    type: energy-meter-3p\n',
        '    type: energy-meter-3p\n    colour: red\n',
      ),
    );
    expect(err.problems).toEqual([
      { line: 12, field: 'devices[0].colour', message: 'is not an allowed field' },
      { line: 13, field: 'devices[0].transport.port', message: 'must be <= 65535' },
    ]);
    expect(err.message).toContain(`${err.file}:13: devices[0].transport.port: must be <= 65535`);
  });

  it('names the nearest valid field for a misspelt one, and checks the byte order', () => {
    const misspelt = problems(
      GOOD.replace('    type: energy-meter-3p\n', '    type: energy-meter-3p\n    wordOder: CDAB\n'),
    );
    expect(misspelt.problems).toEqual([
      { line: 12, field: 'devices[0].wordOder', message: 'is not an allowed field; did you mean "wordOrder"?' },
    ]);
    const far = problems(
      GOOD.replace('    type: energy-meter-3p\n', '    type: energy-meter-3p\n    colourScheme: x\n'),
    );
    expect(far.problems[0]?.message).toBe('is not an allowed field');
    const bad = problems(
      GOOD.replace('    type: energy-meter-3p\n', '    type: energy-meter-3p\n    wordOrder: CBAD\n'),
    );
    expect(bad.problems[0]).toMatchObject({ line: 12, field: 'devices[0].wordOrder' });
    const file = write(GOOD.replace('    type: energy-meter-3p\n', '    type: energy-meter-3p\n    wordOrder: CDAB\n'));
    expect(loadConfig(file, catalog).config.devices[0]?.wordOrder).toBe('CDAB');
    const notModbus = problems(
      GOOD.replace('    type: energy-meter-3p\n', '    type: energy-meter-3p\n    wordOrder: CDAB\n'),
      {
        ...catalog,
        protocolOf: () => 'dlt645' as const,
      },
    );
    expect(notModbus.problems.map((p) => p.field)).toContain('devices[0].wordOrder');
  });

  it('points a missing field at its parent line', () => {
    const err = problems(GOOD.replace('  tokenFile: ./gateway.token\n', ''));
    expect(err.problems).toEqual([{ line: 7, field: 'hub.tokenFile', message: 'is required' }]);
  });

  it('reports YAML syntax errors with their line', () => {
    const err = problems(GOOD.replace('dataDir: ./state', 'dataDir: ./state\ndataDir: ./again'));
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]?.line).toBe(6);
    expect(err.problems[0]?.message).toMatch(/^YAML syntax: Map keys must be unique/);
  });

  it('reports unknown device types with the known ones, duplicate ids, and grids outside the community', () => {
    const second = `  - id: meter-01
    type: toaster
    transport: { kind: modbus-tcp, host: 127.0.0.1, port: 1502, unitId: 2 }
    location: { lng: 117.01, lat: 33.66, gridId: "341302002001001" }
`;
    const err = problems(GOOD + second);
    expect(err.problems).toEqual([
      { line: 14, field: 'devices[1].id', message: 'duplicate device id "meter-01"' },
      {
        line: 15,
        field: 'devices[1].type',
        message: 'unknown device type "toaster"; expected one of: di-safety-sensor, energy-meter-3p',
      },
      {
        line: 17,
        field: 'devices[1].location.gridId',
        message: "grid 341302002001001 is not in this gateway's community 341302001001",
      },
    ]);
  });

  it('says so when the file does not exist', () => {
    expect(() => loadConfig('/nonexistent/gateway.yaml', catalog)).toThrow(/gateway.yaml: \(root\): file not found/);
  });

  it('fills transport defaults for the kind chosen and names an unknown kind', () => {
    const rtu = GOOD.replace(
      '{ kind: modbus-tcp, host: 127.0.0.1, port: 1502, unitId: 1 }',
      '{ kind: modbus-rtu, path: /dev/ttyUSB0, unitId: 7 }',
    );
    expect(loadConfig(write(rtu), catalog).config.devices[0]?.transport).toEqual({
      kind: 'modbus-rtu',
      path: '/dev/ttyUSB0',
      unitId: 7,
      baudRate: 9600,
      parity: 'none',
      dataBits: 8,
      stopBits: 1,
    });
    const err = problems(GOOD.replace('kind: modbus-tcp', 'kind: modbus-ftp'));
    expect(err.problems).toEqual([
      { line: 12, field: 'devices[0].transport.kind', message: 'has unknown value "modbus-ftp"' },
    ]);
    const bad = problems(rtu.replace('path: /dev/ttyUSB0, ', 'path: /dev/ttyUSB0, baudRate: 12, '));
    expect(bad.problems).toEqual([{ line: 12, field: 'devices[0].transport.baudRate', message: 'must be >= 300' }]);
  });

  it('says which transport a device type needs when the config gives another', () => {
    const withProtocols = {
      ...catalog,
      protocolOf: (t: string) => (t === 'energy-meter-3p' ? ('modbus' as const) : undefined),
    };
    const text = GOOD.replace(
      '{ kind: modbus-tcp, host: 127.0.0.1, port: 1502, unitId: 1 }',
      '{ kind: dlt645, address: "000000000001", line: { kind: tcp, host: 127.0.0.1, port: 9000 } }',
    );
    let err: unknown;
    try {
      loadConfig(write(text), withProtocols);
    } catch (e) {
      err = e;
    }
    expect((err as ConfigError).problems).toEqual([
      {
        line: 12,
        field: 'devices[0].transport.kind',
        message: 'energy-meter-3p speaks modbus; use transport kind modbus-tcp or modbus-rtu or modbus-rtu-tcp',
      },
    ]);
  });

  it('accepts the care flags on a device', () => {
    const text = GOOD.replace(
      '    type: energy-meter-3p\n',
      '    type: energy-meter-3p\n    loneElder: true\n    inactivityHours: 8\n',
    );
    const d = loadConfig(write(text), catalog).config.devices[0]!;
    expect([d.loneElder, d.inactivityHours]).toEqual([true, 8]);
    expect(() =>
      loadConfig(
        write(GOOD.replace('    type: energy-meter-3p\n', '    type: energy-meter-3p\n    inactivityHours: 0\n')),
        catalog,
      ),
    ).toThrow(/devices\[0\]\.inactivityHours: must be > 0/);
  });
});

describe('one RS-485 line, one protocol at one speed', () => {
  const meters = (a: string, b: string) =>
    GOOD.replace(
      '    transport: { kind: modbus-tcp, host: 127.0.0.1, port: 1502, unitId: 1 }\n',
      `    transport: ${a}\n`,
    ) +
    `  - id: meter-02
    type: energy-meter-3p
    transport: ${b}
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }
`;

  it('refuses two protocols on one serial path, naming both devices', () => {
    const err = problems(
      meters(
        '{ kind: modbus-rtu, path: /dev/ttyS1, unitId: 1, baudRate: 2400, parity: even }',
        '{ kind: dlt645, address: "201811230042", line: { kind: serial, path: /dev/ttyS1 } }',
      ),
    );
    expect(err.problems).toEqual([
      {
        line: 16,
        field: 'devices[1].transport.line.path',
        message: expect.stringMatching(
          /^serial \/dev\/ttyS1 already carries modbus \(devices\[0\]\); one line takes one protocol/,
        ),
      },
    ]);
  });

  it('refuses two speeds on one serial path, and two protocols on one serial-server port', () => {
    const speeds = problems(
      meters(
        '{ kind: dlt645, address: "201811230042", line: { kind: serial, path: /dev/ttyS1 } }',
        '{ kind: dlt645, address: "201811230043", line: { kind: serial, path: /dev/ttyS1, baudRate: 9600 } }',
      ),
    );
    expect(speeds.problems[0]?.message).toBe(
      'serial /dev/ttyS1 is set to 2400 8E1 by devices[0], here 9600 8E1; every device on one line uses the same settings',
    );
    const server = problems(
      meters(
        '{ kind: modbus-rtu-tcp, host: 10.0.0.5, port: 4001, unitId: 1 }',
        '{ kind: cjt188, address: "12345678901234", line: { kind: tcp, host: 10.0.0.5, port: 4001 } }',
      ),
    );
    expect(server.problems[0]?.message).toMatch(/^serial server 10\.0\.0\.5:4001 already carries modbus/);
  });

  it('accepts several meters of one protocol and settings on one line', () => {
    const file = write(
      meters(
        '{ kind: dlt645, address: "201811230042", line: { kind: serial, path: /dev/ttyS1 } }',
        '{ kind: dlt645, address: "201811230043", line: { kind: serial, path: /dev/ttyS1 } }',
      ),
    );
    expect(loadConfig(file, catalog).config.devices).toHaveLength(2);
  });
});
