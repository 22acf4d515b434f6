import type { EventDraft } from '@linli/contract';
import type { BusManager } from './bus/bus-manager.js';
import type { DeviceDefinition, DeviceOptions, PointValues } from './definition.js';
import { ModbusDevice } from './modbus/modbus-device.js';
import type { Transport } from './transport.js';

export interface DeviceConfig {
  id: string;
  type: string;
  pollMs: number;
  timeoutMs: number;
  transport: Transport;
  options?: DeviceOptions;
}

export interface DeviceLog {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export interface DeviceContext {
  /** Resolves once the event is durably buffered; a driver waits for it before moving on. */
  emit(draft: EventDraft): Promise<void>;
  log: DeviceLog;
  /** Shared lines and connections: devices on one RS-485 bus take turns. */
  buses: BusManager;
}

/** A running device: started once, stopped once; stop() releases sockets and timers. */
export interface DeviceHandle {
  readonly id: string;
  start(): void;
  stop(): Promise<void>;
  /** null until the first poll settles. */
  online(): boolean | null;
  latest(): PointValues | null;
}

/** Builds the runtime for a declared device; the only place that knows protocols. */
export function createDevice(def: DeviceDefinition, cfg: DeviceConfig, ctx: DeviceContext): DeviceHandle {
  switch (def.protocol) {
    case 'modbus':
      return new ModbusDevice(def, cfg, ctx);
  }
}
