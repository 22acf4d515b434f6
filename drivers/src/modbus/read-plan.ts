import { type ModbusPoint, REGISTER_WIDTH, type RegisterTable } from '../definition.js';

/** One Modbus read request covering several points. */
export interface ReadBlock {
  table: RegisterTable;
  start: number;
  count: number;
  points: ModbusPoint[];
}

/** Protocol limits: 125 registers or 2000 bits per read request (Modbus Application Protocol v1.1b3 §6). */
const MAX_COUNT: Record<RegisterTable, number> = { holding: 125, input: 125, coil: 2000, discrete: 2000 };
/** Reading a small gap is cheaper than a second round trip on a 9600-baud bus. */
const MAX_GAP = 16;

/** Groups points into as few reads as the protocol allows. */
export function planReads(points: readonly ModbusPoint[]): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  const byTable = new Map<RegisterTable, ModbusPoint[]>();
  for (const p of points) byTable.set(p.table, [...(byTable.get(p.table) ?? []), p]);
  for (const [table, list] of byTable) {
    list.sort((a, b) => a.address - b.address);
    let cur: ReadBlock | null = null;
    for (const p of list) {
      const end = p.address + REGISTER_WIDTH[p.format];
      if (cur && p.address - (cur.start + cur.count) <= MAX_GAP && end - cur.start <= MAX_COUNT[table]) {
        cur.count = Math.max(cur.count, end - cur.start);
        cur.points.push(p);
      } else {
        cur = { table, start: p.address, count: end - p.address, points: [p] };
        blocks.push(cur);
      }
    }
  }
  return blocks;
}
