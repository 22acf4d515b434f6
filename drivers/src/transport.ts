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

const transports = Type.Union([ModbusTcpTransportSchema, ModbusRtuTransportSchema, ModbusRtuOverTcpTransportSchema]);
export type Transport = Static<typeof transports>;

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
export function busKey(t: Transport): string {
  switch (t.kind) {
    case 'modbus-tcp':
      return `tcp://${t.host}:${t.port}`;
    case 'modbus-rtu':
      return `rtu://${t.path}`;
    case 'modbus-rtu-tcp':
      return `rtu+tcp://${t.host}:${t.port}`;
  }
}
