import type { EventDraft } from '@linli/contract';
import type { BusManager } from './bus/bus-manager.js';
import type { CameraSnapshot } from './camera/snapshot.js';
import type { DeviceOptions, PointValues } from './definition.js';
import type { LineManager } from './line/line-manager.js';
import type { Transport } from './transport.js';

// What a device runtime is given and what it offers, apart from the registry that
// builds them, so the runtimes import these without importing the registry back.

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
  /**
   * Acts on the device (open a gate, take a snapshot, set a relay). Devices
   * that take commands implement it; the gateway's command router calls it
   * for hub commands and local flows alike. Resolves with a small JSON-safe
   * result; rejects with a LinliError whose message says what went wrong.
   */
  command?(name: string, args: Readonly<Record<string, unknown>>): Promise<Record<string, unknown>>;
}
