import { builtinRegistry, type Transport } from '@linli/drivers';
import { appendDevices, type NewDevice } from './append-devices.js';
import { searchDlt645 } from './discover/dlt645-search.js';
import { expandGateTargets, type FoundGate, scanGates } from './discover/gate-probe.js';
import { type FoundModbusUnit, parseUnits, scanModbus } from './discover/modbus-scan.js';
import { parseLineTarget, RawLine } from './discover/raw-line.js';
import { discoverOnvif, type FoundCamera, probeInterfaces } from './discover/ws-discovery.js';
import { Output, UsageError } from './output.js';

export interface DiscoverOptions {
  json: boolean;
  onvif?: boolean;
  interface?: string;
  'onvif-target'?: string;
  modbus?: string[];
  units?: string;
  baud?: string;
  parity?: string;
  dlt645?: string[];
  gate?: string[];
  'timeout-ms'?: string;
  append?: string;
  grid?: string;
}

type Parity = 'none' | 'even' | 'odd';

interface Found {
  cameras: FoundCamera[];
  modbus: (FoundModbusUnit & { target: string })[];
  dlt645: { target: string; addresses: string[]; method: string; probes: number; conflicts: string[] }[];
  gates: FoundGate[];
  errors: { target: string; message: string }[];
}

/**
 * `discover`: what is out there, on the LAN and on the buses, with progress
 * as it goes. Nothing is scanned that was not asked for: an installer names
 * the ports and addresses (or `--onvif`), so a scan never surprises a site.
 */
export async function discoverCommand(o: DiscoverOptions): Promise<number> {
  const out = new Output(o.json);
  if (!o.onvif && !o.modbus?.length && !o.dlt645?.length && !o.gate?.length)
    throw new UsageError('discover: say where to look: --onvif, --modbus TARGET, --dlt645 TARGET or --gate HOST');
  const timeout = (fallback: number) => (o['timeout-ms'] ? Number(o['timeout-ms']) : fallback);
  if (o['timeout-ms'] && !(Number(o['timeout-ms']) >= 20)) throw new UsageError('--timeout-ms: at least 20');
  const parity = (o.parity ?? undefined) as Parity | undefined;
  if (parity && !['none', 'even', 'odd'].includes(parity)) throw new UsageError('--parity: none, even or odd');
  const registry = builtinRegistry();
  const result: Found = { cameras: [], modbus: [], dlt645: [], gates: [], errors: [] };
  const failed = (target: string, err: unknown) => {
    const e = err as Error;
    const message = e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message;
    out.progress(`  ${target}: ${message}`);
    result.errors.push({ target, message });
  };

  if (o.onvif) {
    out.progress('ONVIF 摄像机 cameras (WS-Discovery) …');
    const t = o['onvif-target'] ? parseLineTarget(o['onvif-target'], { baudRate: 0, parity: 'none' }) : null;
    if (t && t.kind !== 'tcp') throw new UsageError('--onvif-target: HOST:PORT');
    result.cameras = await discoverOnvif({
      interfaces: probeInterfaces(o.interface),
      listenMs: timeout(3000),
      ...(t ? { target: { host: t.host, port: t.port } } : {}),
      progress: (m) => out.progress(m),
    });
  }
  for (const target of o.modbus ?? []) {
    out.progress(`Modbus ${target} …`);
    try {
      const line = parseLineTarget(target, { baudRate: Number(o.baud ?? 9600), parity: parity ?? 'none' });
      const transport =
        line.kind === 'tcp'
          ? { kind: 'modbus-tcp' as const, host: line.host, port: line.port }
          : {
              kind: 'modbus-rtu' as const,
              path: line.path,
              baudRate: line.baudRate,
              parity: line.parity,
              dataBits: 8 as const,
              stopBits: 1 as const,
            };
      const units = parseUnits(o.units ?? '1-32');
      const found = await scanModbus(transport, {
        units,
        timeoutMs: timeout(line.kind === 'tcp' ? 500 : 300),
        registry,
        progress: (m) => out.progress(m),
      });
      result.modbus.push(...found.map((f) => ({ ...f, target })));
    } catch (err) {
      failed(target, err);
    }
  }
  for (const target of o.dlt645 ?? []) {
    out.progress(`DL/T 645 电表 meters on ${target} …`);
    const line = new RawLine(parseLineTarget(target, { baudRate: Number(o.baud ?? 2400), parity: parity ?? 'even' }));
    try {
      await line.open(timeout(2000));
      const r = await searchDlt645(line, { listenMs: timeout(600), settleMs: 60, progress: (m) => out.progress(m) });
      result.dlt645.push({ target, ...r });
    } catch (err) {
      failed(target, err);
    } finally {
      await line.close();
    }
  }
  if (o.gate?.length) {
    out.progress('门禁/道闸 gates (ISAPI) …');
    try {
      const targets = o.gate.flatMap(expandGateTargets);
      result.gates = await scanGates(targets, {
        timeoutMs: timeout(1500),
        concurrency: 16,
        progress: (m) => out.progress(m),
      });
    } catch (err) {
      failed('gate', err);
    }
  }

  printSummary(out, result);
  let appended: string[] = [];
  if (o.append) {
    if (!o.grid) throw new UsageError('--append needs --grid GRID (the 15-digit grid the devices are in)');
    appended = appendDevices(o.append, toDevices(result), o.grid);
    out.line(
      appended.length
        ? `已写入 appended to ${o.append}: ${appended.join(', ')}`
        : `nothing new to append to ${o.append}`,
    );
  }
  out.result({ ok: result.errors.length === 0, ...result, appended });
  return result.errors.length ? 1 : 0;
}

function printSummary(out: Output, r: Found): void {
  out.line('');
  out.line(
    `发现 found: ${r.cameras.length} cameras, ${r.modbus.length} Modbus units, ${r.dlt645.reduce((n, l) => n + l.addresses.length, 0)} DL/T 645 meters, ${r.gates.length} gates`,
  );
  for (const c of r.cameras)
    out.line(`  camera  ${c.name ?? '(no name)'}  ${c.xaddrs[0]}  ${c.hardware ?? ''}`.trimEnd());
  for (const u of r.modbus)
    out.line(
      `  modbus  ${u.target} unit ${u.unitId}  ${typesText(u.types)}  blocks: ${u.blocks.map((b) => `${b.table}@${b.start}+${b.count}`).join(' ')}`,
    );
  for (const l of r.dlt645)
    for (const a of l.addresses) out.line(`  dlt645  ${l.target} meter ${a}  (${l.method}, ${l.probes} probes)`);
  for (const g of r.gates)
    out.line(`  gate    ${g.host}:${g.port}  ISAPI${g.auth === 'digest' ? ', Digest auth' : ', NO AUTH'}`);
  for (const e of r.errors) out.line(`  error   ${e.target}: ${e.message}`);
}

/** Every type whose whole register map answered; the one with the most points first. */
function typesText(types: readonly string[]): string {
  if (!types.length) return 'unknown type';
  if (types.length === 1) return types[0]!;
  return `${types[0]} (匹配 ${types.length} 种 matches ${types.length} types: ${types.join(', ')})`;
}

/** What can go into the config as it is; cameras wait for the camera driver's device types. */
function toDevices(r: Found): NewDevice[] {
  const out: NewDevice[] = [];
  for (const u of r.modbus)
    if (u.types[0])
      out.push({
        idBase: `${u.types[0]}-u${u.unitId}`,
        type: u.types[0],
        transport: u.transport,
        // Register maps overlap between models: the installer, not the scan, knows which one is on the wall.
        ...(u.types.length > 1
          ? { comment: ` also answers as ${u.types.slice(1).join(', ')}; check the nameplate` }
          : {}),
      });
  for (const l of r.dlt645) {
    const line = parseLineTarget(l.target, { baudRate: 2400, parity: 'even' });
    const lineCfg =
      line.kind === 'tcp'
        ? { kind: 'tcp' as const, host: line.host, port: line.port }
        : {
            kind: 'serial' as const,
            path: line.path,
            baudRate: line.baudRate,
            parity: line.parity,
            dataBits: 8 as const,
            stopBits: 1 as const,
          };
    for (const a of l.addresses)
      out.push({
        idBase: `meter-${a.slice(-4)}`,
        type: 'dlt645-meter',
        transport: { kind: 'dlt645', address: a, line: lineCfg } as Transport,
      });
  }
  for (const g of r.gates)
    out.push({
      idBase: `gate-${g.host.split('.').pop()}`,
      type: 'isapi-door-terminal',
      transport: {
        kind: 'isapi',
        host: g.host,
        port: g.port,
        username: 'admin',
        passwordFile: `secrets/gate-${g.host}.pw`,
      } as Transport,
      comment: ` the terminal's password goes in <dataDir>/secrets/gate-${g.host}.pw (chmod 600); set the real username`,
    });
  return out;
}
