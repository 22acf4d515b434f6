import { LinliError } from '@linli/contract';
import type { DeviceDefinition, ModbusDefinition } from './definition.js';
import { builtinDefinitions } from './definitions/index.js';
import { validateDefinition } from './validate-definition.js';

/** Where the gateway finds device types by name; it never imports a definition itself. */
export class DefinitionRegistry {
  private readonly loaders = new Map<string, () => Promise<DeviceDefinition>>();
  private readonly protocols = new Map<string, DeviceDefinition['protocol']>();
  private readonly loaded = new Map<string, DeviceDefinition>();

  register(type: string, load: () => Promise<DeviceDefinition>, protocol?: DeviceDefinition['protocol']): void {
    if (this.loaders.has(type)) throw new LinliError('DUPLICATE_TYPE', `device type "${type}" is registered twice`);
    if (protocol) this.protocols.set(type, protocol);
    this.loaders.set(type, load);
  }

  /** The protocol a type speaks, when it was registered with one (no loading needed). */
  protocolOf(type: string): DeviceDefinition['protocol'] | undefined {
    return this.protocols.get(type);
  }

  has(type: string): boolean {
    return this.loaders.has(type);
  }

  types(): string[] {
    return [...this.loaders.keys()].sort();
  }

  async get(type: string): Promise<DeviceDefinition> {
    const cached = this.loaded.get(type);
    if (cached) return cached;
    const load = this.loaders.get(type);
    if (!load)
      throw new LinliError('UNKNOWN_TYPE', `unknown device type "${type}"; known types: ${this.types().join(', ')}`);
    const def = validateDefinition(await load());
    if (def.type !== type)
      throw new LinliError('DEFINITION', `definition registered as "${type}" declares type "${def.type}"`);
    this.loaded.set(type, def);
    return def;
  }

  /** The definition of a Modbus type (simulators and tools that only speak Modbus). */
  async getModbus(type: string): Promise<ModbusDefinition> {
    const def = await this.get(type);
    if (def.protocol !== 'modbus')
      throw new LinliError('WRONG_PROTOCOL', `device type "${type}" speaks ${def.protocol}, not Modbus`);
    return def;
  }
}

/** A registry holding every shipped device type. */
export function builtinRegistry(): DefinitionRegistry {
  const r = new DefinitionRegistry();
  for (const [type, e] of Object.entries(builtinDefinitions)) r.register(type, e.load, e.protocol);
  return r;
}
