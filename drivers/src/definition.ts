import type { EventDraft } from '@linli/contract';

/** Modbus data tables: 4x holding registers, 3x input registers, 0x coils, 1x discrete inputs. */
export type RegisterTable = 'holding' | 'input' | 'coil' | 'discrete';
/** Multi-register values are big-endian, high word first (the common "ABCD" order). */
export type ValueFormat = 'bool' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32';
/** Byte order of a 32-bit value across its two registers, as meter manuals write it (ABCD = big-endian). */
export type WordOrder = 'ABCD' | 'CDAB' | 'BADC' | 'DCBA';
export const WORD_ORDERS: readonly WordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];

export interface ModbusPoint {
  name: string;
  table: RegisterTable;
  /** Zero-based protocol address (register 40001 is holding address 0). */
  address: number;
  format: ValueFormat;
  /** Engineering value = raw × scale. */
  scale?: number;
  unit?: string;
  /** 32-bit values only; ABCD unless the device's manual says otherwise (a device's `wordOrder` overrides it). */
  order?: WordOrder;
}

export type PointValues = Readonly<Record<string, number>>;

export interface RuleContext {
  deviceId: string;
  now: number;
  values: PointValues;
  /** Values from the previous successful poll; null on the first. */
  previous: PointValues | null;
  /** Units declared by the definition's points. */
  units: Readonly<Record<string, string>>;
  /** Per-device memory that rules keep between polls (lost on restart, which restarts any clock it holds). */
  memory: Record<string, number>;
  /** Per-device options from the gateway config (e.g. the care watch on a lone elder's meter). */
  options: Readonly<DeviceOptions>;
}

/** Options an installer sets on one device, beyond its type and address. */
export interface DeviceOptions {
  /** Raise `meter.inactive` when consumption stops for this many hours (a lone elder's meter). */
  inactivityHours?: number;
  /** Cameras: privacy polygons in normalised [0..1] image coordinates, blacked out before any image leaves. */
  masks?: readonly (readonly [number, number])[][];
  /** Cameras: how often the stream is checked by pulling a frame. */
  healthIntervalMs?: number;
  /** Modbus: the byte order of every 32-bit point of this device (the meter model's, from its manual). */
  wordOrder?: WordOrder;
  /** Cameras: check health by an RTSP frame (default) or by the HTTP snapshot URI (no video server, no ffmpeg). */
  streamCheck?: 'rtsp' | 'snapshot';
  /** Cameras: the same kind of camera event is raised at most once per this interval. */
  eventCooldownMs?: number;
  /** Cameras: the long-poll Timeout sent with each PullMessages (the camera may answer sooner). */
  eventPullWaitMs?: number;
}

/** Turns one poll's values into events. Built by the capability factories, never hand-written per device. */
export type EventRule = (ctx: RuleContext) => EventDraft[];

interface BaseDefinition {
  type: string;
  title: { zh: string; en: string };
  rules: EventRule[];
}

/** A Modbus device: registers and bits, read in as few requests as the protocol allows. */
export interface ModbusDefinition extends BaseDefinition {
  protocol: 'modbus';
  points: ModbusPoint[];
}

/** A DL/T 645-2007 electricity meter: each point is one data identifier (see protocols/dlt645/data-ids.ts). */
export interface Dlt645Definition extends BaseDefinition {
  protocol: 'dlt645';
  points: { name: string; dataId: string; unit?: string }[];
}

/** A CJ/T 188 meter: one metering-data read gives every point. */
export interface Cjt188Definition extends BaseDefinition {
  protocol: 'cjt188';
  /** CJ/T 188 meter type code, e.g. 0x10 cold water. */
  meterType: number;
  points: { name: 'cumulativeFlow' | 'settlementFlow' | 'valveClosed' | 'batteryLow'; unit?: string }[];
}

/**
 * An access terminal or vehicle barrier speaking ISAPI: events come pushed on
 * its alert stream (no points to poll); it takes the `gate.open` command.
 */
export interface IsapiGateDefinition extends BaseDefinition {
  protocol: 'isapi';
  /** `door`: card/face/QR/password terminal; `barrier`: vehicle barrier with plate recognition. */
  role: 'door' | 'barrier';
}

/** An ONVIF camera: its points are health figures; its events come from the camera's PullPoint. */
export interface OnvifDefinition extends BaseDefinition {
  protocol: 'onvif';
  points: { name: 'streamAlive' | 'lastFrameAt'; unit?: string }[];
}

/** A one-key call box on a line (callbox/codec.ts): one point, the latched key press. */
export interface CallBoxDefinition extends BaseDefinition {
  protocol: 'callbox';
  points: { name: 'pressed' }[];
}

/** A GB/T 28181 camera or NVR registered to the gateway: registration and channel count; its alarms arrive as events. */
export interface Gb28181Definition extends BaseDefinition {
  protocol: 'gb28181';
  points: { name: 'registered' | 'channels'; unit?: string }[];
}

/** A device type: what to read and which changes raise which events. Data, not code paths. */
export type DeviceDefinition =
  | ModbusDefinition
  | Dlt645Definition
  | Cjt188Definition
  | IsapiGateDefinition
  | OnvifDefinition
  | CallBoxDefinition
  | Gb28181Definition;

export const REGISTER_WIDTH: Record<ValueFormat, number> = {
  bool: 1,
  uint16: 1,
  int16: 1,
  uint32: 2,
  int32: 2,
  float32: 2,
};
