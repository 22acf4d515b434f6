import { describe, expect, it } from 'vitest';
import type { ModbusPoint } from '../../src/definition.js';
import { definition as meter } from '../../src/definitions/energy-meter-3p.js';
import { planReads } from '../../src/modbus/read-plan.js';

describe('read planning', () => {
  it('reads neighbouring registers in one request and far ones in another', () => {
    const blocks = planReads(meter.points);
    expect(blocks.map((b) => [b.table, b.start, b.count])).toEqual([
      ['input', 0x0000, 12],
      ['input', 0x0156, 2],
    ]);
  });

  it('never plans a read larger than the protocol allows (125 registers)', () => {
    const points: ModbusPoint[] = Array.from({ length: 200 }, (_, i) => ({
      name: `p${i}`,
      table: 'holding',
      address: i,
      format: 'uint16',
    }));
    const blocks = planReads(points);
    expect(blocks.every((b) => b.count <= 125)).toBe(true);
    expect(blocks.reduce((n, b) => n + b.points.length, 0)).toBe(200);
  });

  it('keeps tables apart', () => {
    const blocks = planReads([
      { name: 'a', table: 'coil', address: 0, format: 'bool' },
      { name: 'b', table: 'discrete', address: 0, format: 'bool' },
    ]);
    expect(blocks.map((b) => b.table).sort()).toEqual(['coil', 'discrete']);
  });
});
