import {
  type DefinitionRegistry,
  ModbusBus,
  type ModbusDefinition,
  type ModbusTransport,
  planReads,
} from '@linli/drivers';

type Client = Parameters<Parameters<ModbusBus['transact']>[2]>[0];
/** A Modbus line or connection, before a unit id is chosen. */
export type ModbusLine = ModbusTransport extends infer T ? (T extends unknown ? Omit<T, 'unitId'> : never) : never;
type Table = 'holding' | 'input' | 'coil' | 'discrete';

export interface ModbusBlock {
  table: Table;
  start: number;
  count: number;
}

export interface FoundModbusUnit {
  unitId: number;
  /** Register blocks that answered with data. */
  blocks: ModbusBlock[];
  /** Device types whose every register answered, most specific first; [] when none fits. */
  types: string[];
  transport: ModbusTransport;
}

/** Where generic probing looks when no known device type fits: the usual starts of vendor maps. */
const GENERIC_STARTS = [0, 1, 100, 1000, 4000];

async function read(client: Client, b: ModbusBlock): Promise<unknown> {
  switch (b.table) {
    case 'holding':
      return client.readHoldingRegisters(b.start, b.count);
    case 'input':
      return client.readInputRegisters(b.start, b.count);
    case 'coil':
      return client.readCoils(b.start, b.count);
    case 'discrete':
      return client.readDiscreteInputs(b.start, b.count);
  }
}

type Outcome = 'data' | 'exception' | 'silent';

/**
 * Modbus unit ids on one line and what answers there. The scan is bounded
 * (a unit range, one request in flight, a short timeout) and polite (the bus
 * keeps its inter-frame gap; each absent unit costs one timeout, nothing more).
 * A unit counts as present when it answers at all — data or an exception such
 * as "illegal data address"; a TCP gateway's "target failed" (0x0B) or "path
 * unavailable" (0x0A) means nobody is there.
 */
export async function scanModbus(
  transport: ModbusLine,
  opts: { units: number[]; timeoutMs: number; registry: DefinitionRegistry; progress: (msg: string) => void },
): Promise<FoundModbusUnit[]> {
  const label = transport.kind === 'modbus-rtu' ? transport.path : `${transport.host}:${transport.port}`;
  const bus = new ModbusBus(`discover:${label}`, { ...transport, unitId: 1 } as ModbusTransport);
  const probe = async (unitId: number, b: ModbusBlock): Promise<Outcome> => {
    try {
      await bus.transact(unitId, opts.timeoutMs, (c) => read(c, b));
      return 'data';
    } catch (err) {
      const code = (err as { modbusCode?: number }).modbusCode;
      if (code !== undefined && code !== 0x0a && code !== 0x0b) return 'exception';
      // A connection that cannot be opened at all is not "no unit": stop and say so.
      if ((err as { code?: string }).code === 'CONNECT') throw err;
      return 'silent';
    }
  };
  const defs: ModbusDefinition[] = [];
  for (const type of opts.registry.types())
    if (opts.registry.protocolOf(type) === 'modbus') defs.push(await opts.registry.getModbus(type));

  const found: FoundModbusUnit[] = [];
  try {
    for (const [n, unitId] of opts.units.entries()) {
      opts.progress(`  modbus ${label}: unit ${unitId} (${n + 1}/${opts.units.length}) …`);
      // Any table will do to see whether someone is there; holding register 0 is the most common.
      let present = false;
      for (const table of ['holding', 'input', 'discrete', 'coil'] as const) {
        if ((await probe(unitId, { table, start: 0, count: 1 })) !== 'silent') {
          present = true;
          break;
        }
        // Silence on the first table of a serial line is almost always "nobody": don't spend three more timeouts.
        if (transport.kind === 'modbus-rtu') break;
      }
      if (!present) continue;
      const blocks: ModbusBlock[] = [];
      const key = (b: ModbusBlock) => `${b.table}:${b.start}:${b.count}`;
      const matches: { type: string; points: number }[] = [];
      for (const def of defs) {
        const plan = planReads(def.points).map((b) => ({ table: b.table, start: b.start, count: b.count }));
        let all = true;
        for (const b of plan) {
          if ((await probe(unitId, b)) !== 'data') {
            all = false;
            break;
          }
          if (!blocks.some((x) => key(x) === key(b))) blocks.push(b);
        }
        if (all) matches.push({ type: def.type, points: def.points.length });
      }
      if (!matches.length)
        for (const table of ['holding', 'input'] as const)
          for (const start of GENERIC_STARTS) {
            // Grow the block while it answers, up to the protocol's 125 registers.
            let count = 0;
            for (const c of [1, 8, 32, 125]) {
              if ((await probe(unitId, { table, start, count: c })) !== 'data') break;
              count = c;
            }
            if (count) blocks.push({ table, start, count });
          }
      matches.sort((a, b) => b.points - a.points);
      const unit = {
        unitId,
        blocks,
        types: matches.map((m) => m.type),
        transport: { ...transport, unitId } as ModbusTransport,
      };
      opts.progress(
        `  found unit ${unitId}: ${unit.types.join(' or ') || 'unknown type'} (${blocks.length} blocks answer)`,
      );
      found.push(unit);
    }
  } finally {
    await bus.close();
  }
  return found;
}

/** "1-10,17" → [1..10, 17]; ids outside 1–247 are refused (0 is broadcast, 248+ reserved). */
export function parseUnits(spec: string): number[] {
  const out = new Set<number>();
  for (const part of spec.split(',')) {
    const m = /^(\d{1,3})(?:-(\d{1,3}))?$/.exec(part.trim());
    if (!m) throw new Error(`--units ${spec}: expected e.g. 1-32 or 1,2,5`);
    const a = Number(m[1]);
    const b = Number(m[2] ?? m[1]);
    if (a < 1 || b > 247 || a > b) throw new Error(`--units ${spec}: unit ids are 1–247`);
    for (let u = a; u <= b; u++) out.add(u);
  }
  return [...out].sort((x, y) => x - y);
}
