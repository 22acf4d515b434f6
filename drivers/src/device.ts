import { LinliError } from '@linli/contract';
import type { DeviceDefinition } from './definition.js';
import type { DeviceConfig, DeviceContext, DeviceHandle } from './device-types.js';
import { PROTOCOL_DRIVERS } from './protocol-drivers.js';
import type { Transport } from './transport.js';

export type { DeviceConfig, DeviceContext, DeviceHandle, DeviceLog } from './device-types.js';

/** Builds the runtime for a declared device through its protocol's registered driver. */
export function createDevice(def: DeviceDefinition, cfg: DeviceConfig, ctx: DeviceContext): DeviceHandle {
  const driver = PROTOCOL_DRIVERS.get(def.protocol);
  if (!driver.transports.includes(cfg.transport.kind))
    throw new LinliError(
      'CONFIG',
      `device ${cfg.id}: type ${def.type} speaks ${def.protocol}, but its transport is ${cfg.transport.kind}`,
    );
  return driver.create(def, cfg, ctx);
}

/** The transport kinds a protocol can use, for config validation. */
export const TRANSPORTS_FOR = Object.fromEntries(
  PROTOCOL_DRIVERS.protocols().map((p) => [p, PROTOCOL_DRIVERS.get(p).transports]),
) as Record<DeviceDefinition['protocol'], readonly Transport['kind'][]>;
