import { type EventDraft, LinliError } from '@linli/contract';
import type { BusManager } from './bus/bus-manager.js';
import type { DeviceDefinition, DeviceOptions, PointValues } from './definition.js';
import type { LineManager } from './line/line-manager.js';
import { GateDevice } from './gate/gate-device.js';
import { OnvifCamera } from './camera/onvif-camera.js';
import type { CameraSnapshot } from './camera/snapshot.js';
import { Cjt188Device } from './meters/cjt188-device.js';
import { Dlt645Device } from './meters/dlt645-device.js';
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
  /** Shared meter lines (DL/T 645, CJ/T 188). */
  lines: LineManager;
  /** Where a camera's snapshots are kept; returns a reference to the stored picture. */
  snapshots?: { save(snap: CameraSnapshot): Promise<string> };
}

/** A running device: started once, stopped once; stop() releases sockets and timers. */
export interface DeviceHandle {
  readonly id: string;
  start(): void;
  stop(): Promise<void>;
  /** null until the first poll settles. */
  online(): boolean | null;
  latest(): PointValues | null;
  /** What the operator should know beyond online/offline (e.g. a camera that gives snapshots only); null if nothing. */
  note?(): string | null;
  /**
   * Acts on the device (open a gate, take a snapshot, set a relay). Devices
   * that take commands implement it; the gateway's command router calls it
   * for hub commands and local flows alike. Resolves with a small JSON-safe
   * result; rejects with a LinliError whose message says what went wrong.
   */
  command?(name: string, args: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>;
}

/** Builds the runtime for a declared device; the only place that knows protocols. */
export function createDevice(def: DeviceDefinition, cfg: DeviceConfig, ctx: DeviceContext): DeviceHandle {
  const t = cfg.transport;
  switch (def.protocol) {
    case 'modbus':
      if (t.kind !== 'modbus-tcp' && t.kind !== 'modbus-rtu' && t.kind !== 'modbus-rtu-tcp') break;
      return new ModbusDevice(def, { ...cfg, transport: t }, ctx);
    case 'dlt645':
      if (t.kind !== 'dlt645') break;
      return new Dlt645Device(def, cfg, ctx);
    case 'cjt188':
      if (t.kind !== 'cjt188') break;
      return new Cjt188Device(def, cfg, ctx);
    case 'isapi':
      if (t.kind !== 'isapi') break;
      return new GateDevice(def, cfg, ctx);
    case 'onvif':
      if (t.kind !== 'onvif') break;
      return new OnvifCamera(def, { ...cfg, transport: t }, ctx);
  }
  throw new LinliError(
    'CONFIG',
    `device ${cfg.id}: type ${def.type} speaks ${def.protocol}, but its transport is ${t.kind}`,
  );
}

/** The transport kinds a protocol can use, for config validation. */
export const TRANSPORTS_FOR: Record<DeviceDefinition['protocol'], Transport['kind'][]> = {
  modbus: ['modbus-tcp', 'modbus-rtu', 'modbus-rtu-tcp'],
  dlt645: ['dlt645'],
  cjt188: ['cjt188'],
  isapi: ['isapi'],
  onvif: ['onvif'],
};
