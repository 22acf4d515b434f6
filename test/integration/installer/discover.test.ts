import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, node, type Proc, ready, SIM_CLI } from '../../helpers/processes.js';
import { configText, GRID, gw } from './cli-run.js';

const procs: Proc[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  closers.splice(0).forEach((c) => c());
  await Promise.all(procs.splice(0).map((p) => p.stop()));
});

async function sim(args: string[]): Promise<number> {
  const port = await freePort();
  const p = node(SIM_CLI, ['--port', String(port), ...args]);
  procs.push(p);
  await ready(p, `linli-sim ${args.join(' ')}`);
  return port;
}

/**
 * A camera as far as WS-Discovery goes: answers a Probe for
 * NetworkVideoTransmitter with a ProbeMatch that relates to the probe's
 * MessageID, and ignores anything else (as a real camera would).
 */
async function onvifResponder(): Promise<{ port: number; probes: string[] }> {
  const sock = createSocket('udp4');
  const probes: string[] = [];
  sock.on('message', (msg, rinfo) => {
    const xml = msg.toString('utf8');
    probes.push(xml);
    const id = /<a:MessageID>([^<]+)<\/a:MessageID>/.exec(xml)?.[1];
    if (!id || !/<d:Probe>/.test(xml) || !/NetworkVideoTransmitter/.test(xml)) return;
    const reply = `<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">
<SOAP-ENV:Header><wsa:MessageID>urn:uuid:7d6c9b1e-0000-4000-8000-000000000001</wsa:MessageID><wsa:RelatesTo>${id}</wsa:RelatesTo>
<wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action></SOAP-ENV:Header>
<SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch>
<wsa:EndpointReference><wsa:Address>urn:uuid:cam-0001</wsa:Address></wsa:EndpointReference>
<d:Types>dn:NetworkVideoTransmitter</d:Types>
<d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/East%20Gate onvif://www.onvif.org/hardware/SIM-CAM</d:Scopes>
<d:XAddrs>http://127.0.0.1:18899/onvif/device_service</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>
</d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>`;
    // A stray reply to someone else's probe first: discover must not count it.
    sock.send(reply.replace(id, 'urn:uuid:someone-else'), rinfo.port, rinfo.address);
    sock.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  closers.push(() => sock.close());
  return { port: sock.address().port, probes };
}

describe('linli-gateway discover', () => {
  it('finds Modbus units, two DL/T 645 meters on one line, a lone meter, a gate and a camera, and appends them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linli-discover-'));
    writeFileSync(join(dir, 'gate.pw'), 'Gate-pw-4711\n', { mode: 0o600 });
    const modbus = await sim(['--unit', '1=energy-meter-3p', '--unit', '3=di-safety-sensor']);
    const shared = await sim(['--dlt645', '000000000001', '--dlt645', '000000000002']);
    const lone = await sim(['--dlt645', '202300001234']);
    const gate = await sim(['--gate', '--user', 'admin', '--password-file', join(dir, 'gate.pw')]);
    const camera = await onvifResponder();
    const cfg = join(dir, 'gateway.yaml');
    writeFileSync(cfg, configText());

    const r = await gw([
      'discover',
      '--json',
      '--modbus',
      `127.0.0.1:${modbus}`,
      '--units',
      '1-5',
      '--dlt645',
      `127.0.0.1:${shared}`,
      '--dlt645',
      `127.0.0.1:${lone}`,
      '--gate',
      `127.0.0.1:${gate}`,
      '--onvif',
      '--interface',
      '127.0.0.1',
      '--onvif-target',
      `127.0.0.1:${camera.port}`,
      '--timeout-ms',
      '250',
      '--append',
      cfg,
      '--grid',
      GRID,
    ]);
    expect(r.err).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const found = JSON.parse(r.out);

    expect(found.modbus.map((u: { unitId: number; types: string[] }) => [u.unitId, u.types[0]])).toEqual([
      [1, 'energy-meter-3p'],
      [3, 'di-safety-sensor'],
    ]);
    expect(found.modbus[0].blocks.length).toBeGreaterThan(0);

    const [two, one] = found.dlt645;
    expect(two).toMatchObject({
      addresses: ['000000000001', '000000000002'],
      method: 'wildcard-search',
      conflicts: [],
    });
    expect(one).toMatchObject({ addresses: ['202300001234'], method: 'broadcast' });

    expect(found.gates).toEqual([{ host: '127.0.0.1', port: gate, auth: 'digest', realm: expect.any(String) }]);
    expect(found.cameras).toEqual([
      expect.objectContaining({
        endpoint: 'urn:uuid:cam-0001',
        xaddrs: ['http://127.0.0.1:18899/onvif/device_service'],
        name: 'East Gate',
        hardware: 'SIM-CAM',
      }),
    ]);
    expect(camera.probes[0]).toContain('<d:Types>dn:NetworkVideoTransmitter</d:Types>');

    // Progress went to stderr while it ran.
    expect(r.err).toContain('several meters answer AAAAAAAAAAAA');

    // The config now lists them (the camera waits for the camera driver), keeps its comments and still validates.
    const written = parse(readFileSync(cfg, 'utf8'));
    const types = written.devices.map((d: { type: string }) => d.type).sort();
    expect(types).toEqual([
      'di-safety-sensor',
      'dlt645-meter',
      'dlt645-meter',
      'dlt645-meter',
      'energy-meter-3p',
      'isapi-door-terminal',
    ]);
    expect(readFileSync(cfg, 'utf8')).toContain('# found by linli-gateway discover');
    // The gate's password file is placed in the data dir (readable by the service's own user only).
    const gateEntry = written.devices.find((d: { type: string }) => d.type === 'isapi-door-terminal');
    expect(gateEntry.transport).toMatchObject({ port: gate, passwordFile: './state/secrets/gate-127.0.0.1.pw' });
    expect((await gw(['config', 'validate', cfg])).code).toBe(0);

    // Running it again adds nothing twice.
    const again = await gw([
      'discover',
      '--json',
      '--dlt645',
      `127.0.0.1:${lone}`,
      '--timeout-ms',
      '250',
      '--append',
      cfg,
      '--grid',
      GRID,
    ]);
    expect(JSON.parse(again.out).appended).toEqual([]);
  }, 120_000);

  it('says so when a line cannot be opened, and still reports the rest', async () => {
    const closed = await freePort();
    const modbus = await sim(['--unit', '2=energy-meter-3p']);
    const r = await gw([
      'discover',
      '--json',
      '--dlt645',
      `127.0.0.1:${closed}`,
      '--modbus',
      `127.0.0.1:${modbus}`,
      '--units',
      '1-2',
      '--timeout-ms',
      '250',
    ]);
    expect(r.code).toBe(1);
    const found = JSON.parse(r.out);
    expect(found.errors).toEqual([{ target: `127.0.0.1:${closed}`, message: expect.stringContaining('ECONNREFUSED') }]);
    expect(found.modbus.map((u: { unitId: number }) => u.unitId)).toEqual([2]);
  }, 60_000);
});
