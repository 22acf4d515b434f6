import { describe, expect, it } from 'vitest';
import type { WordOrder } from '../../src/definition.js';
import { decodePoint, encodePoint } from '../../src/modbus/decode.js';
import { of, poll, startJsmodbus, until } from './jsmodbus-server.js';

/**
 * 32-bit values in the four byte orders meter manuals name. The registers are
 * laid out with Buffer's own writers from the order's definition (ABCD =
 * big-endian, DCBA = little-endian, CDAB = big-endian words swapped, BADC =
 * bytes swapped inside each word), never with our encoder, and read by our
 * driver from jsmodbus, an independent server.
 */
function layout(value: number, order: WordOrder): Buffer {
  const be = Buffer.alloc(4);
  be.writeFloatBE(value, 0);
  const [a, b, c, d] = be;
  if (order === 'DCBA') {
    const le = Buffer.alloc(4);
    le.writeFloatLE(value, 0);
    return le;
  }
  if (order === 'CDAB') return Buffer.from([c!, d!, a!, b!]);
  if (order === 'BADC') return Buffer.from([b!, a!, d!, c!]);
  return be;
}

const ORDERS: WordOrder[] = ['ABCD', 'CDAB', 'BADC', 'DCBA'];

describe('Modbus word and byte order', () => {
  it('reads a meter in each order from jsmodbus as the manual writes it', async () => {
    const voltage = 231.25;
    const energy = 98_765.5;
    for (const order of ORDERS) {
      const input = Buffer.alloc(2 * 0x200);
      layout(voltage, order).copy(input, 0); // voltageA at input register 0
      layout(energy, order).copy(input, 2 * 0x0156); // energyTotal
      const { port } = await startJsmodbus({ input, holding: undefined, discrete: undefined, coils: undefined });
      const { events } = await poll(port, [
        { id: `meter-${order}`, type: 'energy-meter-3p', unitId: 1, options: { wordOrder: order } },
      ]);
      const reading = await until(() => of(events, 'meter.reading', `meter-${order}`)[0], `a ${order} reading`);
      expect(reading.payload.values.voltageA, order).toBe(voltage);
      expect(reading.payload.values.energyTotal, order).toBe(energy);
    }
  });

  it('reads garbage when the order is wrong, so the setting matters', async () => {
    const input = Buffer.alloc(2 * 0x200);
    layout(231.25, 'CDAB').copy(input, 0);
    const { port } = await startJsmodbus({ input, holding: undefined, discrete: undefined, coils: undefined });
    const { events } = await poll(port, [{ id: 'meter-x', type: 'energy-meter-3p', unitId: 1 }]);
    const reading = await until(() => of(events, 'meter.reading', 'meter-x')[0], 'a reading');
    expect(reading.payload.values.voltageA).not.toBe(231.25);
  });

  it('encodes and decodes uint32 and int32 in every order (round trip and golden words)', () => {
    const point = { name: 'x', table: 'holding' as const, address: 0, format: 'uint32' as const };
    // 0x12345678 as a manual would list it for each order.
    const golden: Record<WordOrder, number[]> = {
      ABCD: [0x1234, 0x5678],
      CDAB: [0x5678, 0x1234],
      BADC: [0x3412, 0x7856],
      DCBA: [0x7856, 0x3412],
    };
    for (const order of ORDERS) {
      expect(encodePoint(point, 0x12345678, order), order).toEqual(golden[order]);
      expect(decodePoint(point, golden[order], 0, order), order).toBe(0x12345678);
      const signed = { ...point, format: 'int32' as const };
      expect(decodePoint(signed, encodePoint(signed, -123456, order), 0, order), order).toBe(-123456);
    }
  });
});
