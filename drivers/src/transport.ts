import { type Static, Type } from '@sinclair/typebox';

/** How the gateway reaches a device. More kinds (RTU on a serial port, RTU over TCP) join this union. */
export const ModbusTcpTransportSchema = Type.Object(
  {
    kind: Type.Literal('modbus-tcp'),
    host: Type.String({ minLength: 1, maxLength: 253 }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 502 }),
    unitId: Type.Integer({ minimum: 0, maximum: 255 }),
  },
  { additionalProperties: false },
);
export const TransportSchema = Type.Union([ModbusTcpTransportSchema]);
export type Transport = Static<typeof TransportSchema>;
