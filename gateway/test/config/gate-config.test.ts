import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@linli/contract';
import { builtinRegistry } from '@linli/drivers';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const catalog = builtinRegistry();

function write(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'linli-cfg-')), 'gateway.yaml');
  writeFileSync(file, text);
  return file;
}

const config = (transport: string, type = 'isapi-door-terminal') => `version: 1
gateway:
  id: gw-341302001001
  community: "341302001001"
dataDir: ./state
hub:
  url: http://127.0.0.1:8080
  tokenFile: ./gateway.token
devices:
  - id: gate-01
    type: ${type}
    transport:
${transport}
    location: { lng: 117.01, lat: 33.66, gridId: "341302001001001" }
`;

const ISAPI = `      kind: isapi
      host: 192.0.2.30
      username: linli
      passwordFile: ./secrets/gate.pw
      doors: ["东门", "东门侧门"]`;

function configError(text: string): ConfigError {
  try {
    loadConfig(write(text), catalog);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('gates in the gateway config', () => {
  it('loads an ISAPI gate with defaults and its password file resolved against the config file', () => {
    const file = write(config(ISAPI));
    const t = loadConfig(file, catalog).config.devices[0]!.transport;
    expect(t).toMatchObject({ kind: 'isapi', port: 80, mask: 'last4', heartbeatTimeoutMs: 30_000 });
    expect(t.kind === 'isapi' && t.passwordFile).toBe(join(file, '..', 'secrets', 'gate.pw'));
  });

  it('refuses a gate type on a Modbus transport and a mask it does not know, naming line and field', () => {
    const wrongKind = configError(config('      { kind: modbus-tcp, host: 127.0.0.1, port: 502, unitId: 1 }'));
    expect(wrongKind.problems).toContainEqual(
      expect.objectContaining({
        field: 'devices[0].transport.kind',
        message: expect.stringContaining('use transport kind isapi'),
      }),
    );
    const badMask = configError(config(`${ISAPI}\n      mask: everything`));
    expect(badMask.problems[0]).toMatchObject({
      field: expect.stringContaining('devices[0].transport.mask'),
      line: 18,
    });
  });
});
