import { readFileSync } from 'node:fs';
import {
  BusManager,
  createDevice,
  type DefinitionRegistry,
  dlt645,
  HalfDuplexLine,
  IsapiClient,
  LineManager,
  ModbusBus,
  type ModbusDefinition,
  planReads,
} from '@linli/drivers';
import type { DeviceEntry } from '../config/schema.js';
import { checkCamera } from './camera-check.js';
import { checkGbDevice } from './gb-device-check.js';

/** One device's verdict: what was checked, and for a failure what to do about it. */
export interface CheckResult {
  id: string;
  type: string;
  target: string;
  ok: boolean;
  /** What passed (e.g. "5/5 points read") or what failed. */
  detail: string;
  /** The installer's next step; empty on success. */
  fix: string;
  /** Cameras: the step that failed (onvif, login, profiles, stream-uri, stream, snapshot). */
  step?: string;
}

type Verdict = { ok: boolean; detail: string; fix: string; step?: string };
const pass = (detail: string): Verdict => ({ ok: true, detail, fix: '' });
const fail = (detail: string, fix: string): Verdict => ({ ok: false, detail, fix });
const why = (err: unknown) => {
  const e = err as Error;
  return e.cause instanceof Error ? `${e.message} (${e.cause.message})` : e.message;
};

export function targetOf(d: DeviceEntry): string {
  const t = d.transport;
  switch (t.kind) {
    case 'modbus-tcp':
    case 'modbus-rtu-tcp':
      return `${t.host}:${t.port} unit ${t.unitId}`;
    case 'modbus-rtu':
      return `${t.path} unit ${t.unitId}`;
    case 'dlt645':
    case 'cjt188':
      return `${t.line.kind === 'tcp' ? `${t.line.host}:${t.line.port}` : t.line.path} #${t.address}`;
    case 'isapi':
    case 'onvif':
      return `${t.host}:${t.port}`;
    case 'gb28181':
      return `${t.deviceId} → :${t.server.port}`;
    default: {
      // A protocol added in drivers/ alone (CONTRIBUTING "Add a protocol"): its line, or its kind.
      const g = t as { kind: string; line?: { kind: string; host?: string; port?: number; path?: string } };
      const l = g.line;
      return l ? (l.kind === 'tcp' ? `${l.host}:${l.port}` : (l.path ?? g.kind)) : g.kind;
    }
  }
}

/** Reads every planned register block once and names the first thing wrong. */
async function checkModbus(d: DeviceEntry, def: ModbusDefinition): Promise<Verdict> {
  const t = d.transport;
  if (t.kind !== 'modbus-tcp' && t.kind !== 'modbus-rtu' && t.kind !== 'modbus-rtu-tcp') throw new Error('not modbus');
  const bus = new ModbusBus(`test:${d.id}`, t);
  const where = t.kind === 'modbus-rtu' ? t.path : `${t.host}:${t.port}`;
  const discoverHint = `run \`linli-gateway discover --modbus ${where}\` to list the units that answer`;
  try {
    const blocks = planReads(def.points);
    for (const b of blocks) {
      try {
        await bus.transact(t.unitId, d.timeoutMs, async (c) => {
          if (b.table === 'holding') return c.readHoldingRegisters(b.start, b.count);
          if (b.table === 'input') return c.readInputRegisters(b.start, b.count);
          if (b.table === 'coil') return c.readCoils(b.start, b.count);
          return c.readDiscreteInputs(b.start, b.count);
        });
      } catch (err) {
        const e = err as { code?: string; errno?: string; modbusCode?: number };
        if (e.code === 'CONNECT' || e.code === 'LINE_CLOSED')
          return fail(
            `unreachable: ${why(err)}`,
            t.kind === 'modbus-rtu'
              ? `check that ${t.path} exists and no other program holds it (ls -l ${t.path})`
              : `check the address ${where}, that the device or serial server is powered, and the network cable`,
          );
        if (e.modbusCode === 0x0a || e.modbusCode === 0x0b)
          return fail(
            `no unit ${t.unitId} behind ${where} (exception ${e.modbusCode})`,
            `wrong unitId? ${discoverHint}`,
          );
        if (e.modbusCode !== undefined)
          return fail(
            `${b.table} ${b.start}+${b.count} refused (exception ${e.modbusCode})`,
            `the device at unit ${t.unitId} does not look like a ${d.type}; check the type, or ${discoverHint}`,
          );
        return fail(
          `unit ${t.unitId} does not answer (${why(err)})`,
          `wrong unitId, baud rate or parity, or A/B swapped; ${discoverHint}`,
        );
      }
    }
    return pass(`${def.points.length}/${def.points.length} points read in ${blocks.length} requests`);
  } finally {
    await bus.close();
  }
}

/** Reads each data identifier of the meter once. */
async function checkDlt645(d: DeviceEntry, points: { name: string; dataId: string }[]): Promise<Verdict> {
  const t = d.transport;
  if (t.kind !== 'dlt645') throw new Error('not dlt645');
  const line = new HalfDuplexLine(t.line, dlt645.MAX_FRAME_BYTES);
  const where = t.line.kind === 'tcp' ? `${t.line.host}:${t.line.port}` : t.line.path;
  try {
    const values: string[] = [];
    for (const p of points) {
      const name = p.dataId as keyof typeof dlt645.DATA_IDS;
      let frame: dlt645.Dlt645Frame;
      try {
        frame = await line.request(
          dlt645.readDataRequest(t.address, name, { preamble: true }),
          dlt645.decodeFrame,
          (f) => f.address === t.address && f.control.direction === 'reply',
          d.timeoutMs,
        );
      } catch (err) {
        if ((err as { code?: string }).code === 'CONNECT')
          return fail(`unreachable: ${why(err)}`, `check the serial server or port ${where}, its power and cable`);
        return fail(
          `meter ${t.address} does not answer`,
          `check the address on the nameplate and the A/B wiring (2400 baud 8E1); \`linli-gateway discover --dlt645 ${where}\` lists the meters on the line`,
        );
      }
      const r = dlt645.parseReadReply(frame, name);
      if (!r.ok)
        return fail(`meter ${t.address} refused ${p.dataId}: ${JSON.stringify(r.error)}`, 'check the device type');
      values.push(`${p.name}=${r.value}`);
    }
    return pass(`${points.length}/${points.length} points read (${values.slice(0, 2).join(', ')})`);
  } finally {
    await line.close();
  }
}

/** Asks the terminal who it is, with the configured credentials. */
async function checkIsapi(d: DeviceEntry): Promise<Verdict> {
  const t = d.transport;
  if (t.kind !== 'isapi') throw new Error('not isapi');
  let password = t.password;
  if (password === undefined) {
    try {
      password = readFileSync(t.passwordFile ?? '', 'utf8').trim();
    } catch (err) {
      return fail(
        `password file ${t.passwordFile} unreadable (${(err as NodeJS.ErrnoException).code})`,
        `write the terminal's password into ${t.passwordFile} and chmod 600 it`,
      );
    }
  }
  const client = new IsapiClient({
    host: t.host,
    port: t.port,
    username: t.username,
    password,
    timeoutMs: d.timeoutMs * 3,
  });
  try {
    const res = await client.request('GET', '/ISAPI/System/deviceInfo');
    if (res.status !== 200) return fail(`deviceInfo answered HTTP ${res.status}`, 'is this an ISAPI access terminal?');
    const xml = res.body.toString('utf8');
    const tag = (n: string) => new RegExp(`<${n}>([^<]*)</${n}>`).exec(xml)?.[1];
    return pass(`logged in; ${tag('deviceName') ?? 'device'} ${tag('model') ?? ''}`.trim());
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'AUTH')
      return fail(
        why(err),
        `check username "${t.username}" and the password${t.passwordFile ? ` in ${t.passwordFile}` : ''}; wait before retrying, terminals lock users after repeated failures`,
      );
    return fail(why(err), `check the address ${t.host}:${t.port}, the terminal's power and network`);
  }
}

/** Any other device: run the real driver until its first poll settles. */
async function checkByPolling(d: DeviceEntry, registry: DefinitionRegistry): Promise<Verdict> {
  const def = await registry.get(d.type);
  const warnings: string[] = [];
  const buses = new BusManager();
  const lines = new LineManager();
  const handle = createDevice(
    def,
    { ...d, pollMs: Math.max(d.pollMs, 60_000) },
    {
      emit: async () => {},
      log: { info: () => {}, warn: (m) => void warnings.push(m) },
      buses,
      lines,
    },
  );
  handle.start();
  const deadline = Date.now() + d.timeoutMs * 4 + 2000;
  while (handle.online() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const online = handle.online();
  const latest = handle.latest();
  await handle.stop();
  if (online) return pass(`${Object.keys(latest ?? {}).length} points read`);
  return fail(warnings[0] ?? 'no answer', 'check the address, wiring and the device type');
}

export async function checkDevice(d: DeviceEntry, registry: DefinitionRegistry): Promise<CheckResult> {
  const base = { id: d.id, type: d.type, target: targetOf(d) };
  try {
    const def = await registry.get(d.type);
    let v: Verdict;
    if (def.protocol === 'modbus') v = await checkModbus(d, def);
    else if (def.protocol === 'dlt645') v = await checkDlt645(d, def.points);
    else if (def.protocol === 'isapi') v = await checkIsapi(d);
    else if (def.protocol === 'onvif') v = await checkCamera(d);
    else if (def.protocol === 'gb28181') v = await checkGbDevice(d, registry);
    else v = await checkByPolling(d, registry);
    return { ...base, ...v };
  } catch (err) {
    return { ...base, ok: false, detail: why(err), fix: 'see the message; run `linli-gateway config validate` first' };
  }
}
