import { LinliError } from '@linli/contract';
import { type DeviceDefinition, type ModbusPoint, REGISTER_WIDTH } from './definition.js';
import { PROTOCOL_DRIVERS } from './protocol-drivers.js';
import { DATA_IDS } from './protocols/dlt645/data-ids.js';

/** Checks a definition at load time so a bad one fails at start, naming the type and point, not at 3 a.m. */
export function validateDefinition(def: DeviceDefinition): DeviceDefinition {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(def.type)) problems.push(`type "${def.type}" must be lower-case kebab`);
  // ISAPI gates have no points: their events are pushed, not polled.
  const points = def.protocol === 'isapi' ? null : def.points;
  if (points && points.length === 0) problems.push('has no data points');
  const names = new Set<string>();
  for (const p of points ?? []) {
    if (names.has(p.name)) problems.push(`point "${p.name}" is declared twice`);
    names.add(p.name);
  }
  if (def.protocol === 'isapi' && def.role !== 'door' && def.role !== 'barrier')
    problems.push(`role "${String(def.role)}" must be door or barrier`);
  if (def.protocol === 'modbus') for (const p of def.points) problems.push(...modbusPointProblems(p));
  if (def.protocol === 'dlt645') {
    for (const p of def.points)
      if (!(p.dataId in DATA_IDS)) problems.push(`point "${p.name}": unknown DL/T 645 data identifier "${p.dataId}"`);
  }
  if (def.protocol === 'cjt188' && !(Number.isInteger(def.meterType) && def.meterType >= 0 && def.meterType <= 0xff)) {
    problems.push(`meterType ${def.meterType} is not a CJ/T 188 type byte`);
  }
  // A rule the protocol never runs would be silently ignored: refuse it at load instead.
  const protocol = PROTOCOL_DRIVERS.protocols().includes(def.protocol) ? PROTOCOL_DRIVERS.get(def.protocol) : null;
  if (!protocol) problems.push(`no driver runs protocol "${String(def.protocol)}"`);
  else if (def.rules.length && !protocol.runsRules)
    problems.push(`declares ${def.rules.length} polled rule(s), but ${def.protocol} devices push events and run no rules`);
  if (problems.length) throw new LinliError('DEFINITION', `device definition "${def.type}": ${problems.join('; ')}`);
  return def;
}

function modbusPointProblems(p: ModbusPoint): string[] {
  const out: string[] = [];
  const bitTable = p.table === 'coil' || p.table === 'discrete';
  if (bitTable !== (p.format === 'bool'))
    out.push(`point "${p.name}": ${p.table} needs format ${bitTable ? 'bool' : 'a register format'}`);
  const end = p.address + REGISTER_WIDTH[p.format] - 1;
  if (!Number.isInteger(p.address) || p.address < 0 || end > 0xffff)
    out.push(`point "${p.name}": address ${p.address} outside 0..65535`);
  if (p.scale !== undefined && !Number.isFinite(p.scale)) out.push(`point "${p.name}": scale must be a finite number`);
  return out;
}
