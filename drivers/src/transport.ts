import { type Static, Type } from '@sinclair/typebox';

const Unit = Type.Integer({ minimum: 0, maximum: 255, description: 'Modbus unit (slave) id' });
const Strict = { additionalProperties: false } as const;

/** Modbus TCP to a device or to a Modbus TCP gateway. */
export const ModbusTcpTransportSchema = Type.Object(
  {
    kind: Type.Literal('modbus-tcp'),
    host: Type.String({ minLength: 1, maxLength: 253 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 502 }),
    unitId: Unit,
  },
  Strict,
);

/** Modbus RTU on an RS-485 port of the gateway itself. */
export const ModbusRtuTransportSchema = Type.Object(
  {
    kind: Type.Literal('modbus-rtu'),
    path: Type.String({ minLength: 1, description: 'serial device, e.g. /dev/ttyUSB0' }),
    baudRate: Type.Integer({ minimum: 300, maximum: 921_600, default: 9600 }),
    parity: Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')], { default: 'none' }),
    dataBits: Type.Union([Type.Literal(7), Type.Literal(8)], { default: 8 }),
    stopBits: Type.Union([Type.Literal(1), Type.Literal(2)], { default: 1 }),
    unitId: Unit,
  },
  Strict,
);

/** Modbus RTU frames through a transparent RS-485-to-Ethernet serial server ("RTU over TCP"). */
export const ModbusRtuOverTcpTransportSchema = Type.Object(
  {
    kind: Type.Literal('modbus-rtu-tcp'),
    host: Type.String({ minLength: 1, maxLength: 253 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    unitId: Unit,
  },
  Strict,
);

/** A serial line for meter protocols: DL/T 645 and CJ/T 188 meters default to 2400 baud, 8E1. */
const SerialLineSchema = Type.Object(
  {
    kind: Type.Literal('serial'),
    path: Type.String({ minLength: 1 }),
    baudRate: Type.Integer({ minimum: 300, maximum: 115_200, default: 2400 }),
    parity: Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd')], { default: 'even' }),
    dataBits: Type.Union([Type.Literal(7), Type.Literal(8)], { default: 8 }),
    stopBits: Type.Union([Type.Literal(1), Type.Literal(2)], { default: 1 }),
  },
  Strict,
);
/** A transparent RS-485-to-Ethernet serial server: the meter's bytes, unchanged, over TCP. */
const TcpLineSchema = Type.Object(
  {
    kind: Type.Literal('tcp'),
    host: Type.String({ minLength: 1, maxLength: 253 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
  },
  Strict,
);
const lines = Type.Union([SerialLineSchema, TcpLineSchema]);
export type LineConfig = Static<typeof lines>;
const LineSchema = Type.Unsafe<LineConfig>({
  type: 'object',
  required: ['kind'],
  discriminator: { propertyName: 'kind' },
  oneOf: lines.anyOf,
});

/** A DL/T 645-2007 electricity meter on a serial line or serial server. */
export const Dlt645TransportSchema = Type.Object(
  {
    kind: Type.Literal('dlt645'),
    address: Type.String({ pattern: '^[0-9]{12}$', description: '12 digits, as on the nameplate' }),
    line: LineSchema,
  },
  Strict,
);
/** A CJ/T 188 water/gas/heat meter on a serial line or serial server. */
export const Cjt188TransportSchema = Type.Object(
  {
    kind: Type.Literal('cjt188'),
    address: Type.String({ pattern: '^[0-9]{14}$', description: '14 digits, as on the nameplate' }),
    line: LineSchema,
  },
  Strict,
);

/**
 * An access terminal or vehicle barrier speaking Hikvision-style ISAPI over
 * HTTP with Digest auth. Give the password in a file (mode 0600) rather than
 * in the config; exactly one of `password` and `passwordFile` is required.
 */
export const IsapiTransportSchema = Type.Object(
  {
    kind: Type.Literal('isapi'),
    host: Type.String({ minLength: 1, maxLength: 253 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 80 }),
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    passwordFile: Type.Optional(Type.String({ minLength: 1 })),
    /** Door names by door number (1 first), shown in events, e.g. ["东门", "东门车闸"]. */
    doors: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 16 })),
    /** Personal identifiers from the terminal: `last4` keeps a masked one in events, `none-kept` none. */
    mask: Type.Union([Type.Literal('last4'), Type.Literal('none-kept')], { default: 'last4' }),
    /** The link counts as dead after this long without a byte (terminals send heartbeats every few seconds). */
    heartbeatTimeoutMs: Type.Integer({ minimum: 500, maximum: 600_000, default: 30_000 }),
  },
  Strict,
);

/**
 * An ONVIF camera: device service on host:port, WS-UsernameToken credentials.
 * The password comes from a file (mode 0600, kept out of the config) or, for
 * demos, from the config itself; it is never logged.
 */
export const OnvifTransportSchema = Type.Object(
  {
    kind: Type.Literal('onvif'),
    host: Type.String({ minLength: 1, maxLength: 253 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 80 }),
    username: Type.String({ minLength: 1, maxLength: 64 }),
    passwordFile: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    /** Use this RTSP URL instead of the one the camera reports (e.g. behind NAT). */
    rtspUrl: Type.Optional(Type.String({ pattern: '^rtsps?://' })),
  },
  Strict,
);

/** A one-key call box (callbox/codec.ts) on a serial line or serial server, at its two-digit address. */
export const CallBoxTransportSchema = Type.Object(
  { kind: Type.Literal('callbox'), address: Type.Integer({ minimum: 1, maximum: 99 }), line: LineSchema },
  Strict,
);

/**
 * A GB/T 28181 camera or NVR that registers to the gateway (the gateway is the
 * compound's platform). `server` is what the camera is set to (SIP服务器编号,
 * 域, the gateway's address and port); devices on one port share one listener.
 * The registration password comes from a file (mode 0600) or, for demos, from
 * the config itself.
 */
export const Gb28181TransportSchema = Type.Object(
  {
    kind: Type.Literal('gb28181'),
    /** The camera's or NVR's 20-digit code (设备编号 / SIP用户名). */
    deviceId: Type.String({ pattern: '^[0-9]{20}$' }),
    server: Type.Object(
      {
        /** The gateway's 20-digit code as the compound's platform (type 200). */
        id: Type.String({ pattern: '^[0-9]{20}$' }),
        /** SIP domain (digest realm); the first 10 digits of `id` when absent. */
        domain: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z.-]{1,64}$' })),
        host: Type.String({ minLength: 1, maxLength: 253, default: '0.0.0.0' }),
        port: Type.Integer({ minimum: 1, maximum: 65535, default: 5060 }),
      },
      Strict,
    ),
    passwordFile: Type.Optional(Type.String({ minLength: 1 })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    /** The camera's keepalive interval (its 心跳周期, 60 s by default) and how many may be missed before offline. */
    keepaliveS: Type.Number({ minimum: 0.05, maximum: 3600, default: 60 }),
    keepaliveMisses: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),
    /** Ask for the Catalog after each registration (an NVR lists its channels). */
    catalog: Type.Boolean({ default: true }),
  },
  Strict,
);

const transports = Type.Union([
  ModbusTcpTransportSchema,
  ModbusRtuTransportSchema,
  ModbusRtuOverTcpTransportSchema,
  Dlt645TransportSchema,
  Cjt188TransportSchema,
  IsapiTransportSchema,
  OnvifTransportSchema,
  CallBoxTransportSchema,
  Gb28181TransportSchema,
]);
export type Transport = Static<typeof transports>;
export type ModbusTransport = Extract<Transport, { kind: 'modbus-tcp' | 'modbus-rtu' | 'modbus-rtu-tcp' }>;
export type MeterTransport = Extract<Transport, { kind: 'dlt645' | 'cjt188' }>;
export type IsapiTransport = Extract<Transport, { kind: 'isapi' }>;
export type OnvifTransport = Extract<Transport, { kind: 'onvif' }>;
export type CallBoxTransport = Extract<Transport, { kind: 'callbox' }>;
export type Gb28181Transport = Extract<Transport, { kind: 'gb28181' }>;

/**
 * How the gateway reaches a device, keyed by `kind` (Ajv's discriminator), so
 * a config error names the field of the transport the installer chose rather
 * than every transport's complaints.
 */
export const TransportSchema = Type.Unsafe<Transport>({
  type: 'object',
  required: ['kind'],
  discriminator: { propertyName: 'kind' },
  oneOf: transports.anyOf,
});

/**
 * Devices that share this key share one half-duplex line (or one connection),
 * so their transactions must be serialised.
 */
export function busKey(t: ModbusTransport): string {
  switch (t.kind) {
    case 'modbus-tcp':
      return `tcp://${t.host}:${t.port}`;
    case 'modbus-rtu':
      return `rtu://${t.path}`;
    case 'modbus-rtu-tcp':
      return `rtu+tcp://${t.host}:${t.port}`;
  }
}

/** One key per physical line, whatever protocol runs on it. */
export function lineKey(l: LineConfig): string {
  return l.kind === 'serial' ? `serial://${l.path}` : `tcp://${l.host}:${l.port}`;
}
