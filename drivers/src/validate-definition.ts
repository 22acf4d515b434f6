import { LinliError } from '@linli/contract';
import { type DeviceDefinition, REGISTER_WIDTH } from './definition.js';

/** Checks a definition at load time so a bad one fails at start, naming the type and point, not at 3 a.m. */
export function validateDefinition(def: DeviceDefinition): DeviceDefinition {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(def.type)) problems.push(`type "${def.type}" must be lower-case kebab`);
  if (def.points.length === 0) problems.push('has no data points');
  const names = new Set<string>();
  for (const p of def.points) {
    if (names.has(p.name)) problems.push(`point "${p.name}" is declared twice`);
    names.add(p.name);
    const bitTable = p.table === 'coil' || p.table === 'discrete';
    if (bitTable !== (p.format === 'bool'))
      problems.push(`point "${p.name}": ${p.table} needs format ${bitTable ? 'bool' : 'a register format'}`);
    const end = p.address + REGISTER_WIDTH[p.format] - 1;
    if (!Number.isInteger(p.address) || p.address < 0 || end > 0xffff)
      problems.push(`point "${p.name}": address ${p.address} outside 0..65535`);
    if (p.scale !== undefined && !Number.isFinite(p.scale))
      problems.push(`point "${p.name}": scale must be a finite number`);
  }
  if (problems.length) throw new LinliError('DEFINITION', `device definition "${def.type}": ${problems.join('; ')}`);
  return def;
}
