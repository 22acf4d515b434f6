import { type AreaTree, seededRandom } from '@linli/geo';
import { demoCityTree } from '../city/demo-city-source.js';
import { idCheckChar } from '../privacy/resident-id.js';
import type { Category } from './categories.js';
import type { PeopleRegister } from './register.js';
import { isUniqueViolation } from './resident-store.js';
import type { ResidentInput } from './types.js';

/**
 * Clearly fake: names are 测试居民NNNN; ID numbers use area code 341399,
 * which is not an assigned county code (Suzhou's counties are 341302 and
 * 341321–341324), with valid GB 11643 check characters so they pass import;
 * phones are in the 1700000xxxx block; addresses say 示例小区.
 */
export const DEMO_ID_AREA = '341399';
export const DEMO_PHONE_PREFIX = '1700000';

const WEIGHTS: [Category, number][] = [
  ['lone_elder', 0.3],
  ['empty_nest_elder', 0.24],
  ['disabled', 0.12],
  ['low_income', 0.15],
  ['left_behind_child', 0.09],
  ['special_attention', 0.06],
  ['community_correction', 0.04],
];

function birthYear(c: Category, rnd: () => number): number {
  if (c === 'lone_elder' || c === 'empty_nest_elder') return 1935 + Math.floor(rnd() * 25);
  if (c === 'left_behind_child') return 2010 + Math.floor(rnd() * 10);
  return 1955 + Math.floor(rnd() * 45);
}

/** A synthetic register for the demo city: 300–600 people, the same for the same seed. */
export function generateDemoRegister(seed = 7, tree: AreaTree = demoCityTree()): ResidentInput[] {
  const rnd = seededRandom(seed);
  const grids = tree.areas.filter((a) => a.level === 'grid');
  const names = new Map(tree.areas.map((a) => [a.code, a.name]));
  // Uneven grids, as real ones are: some with many registered people, some with a handful.
  const weight = grids.map(() => 0.2 + rnd() ** 2 * 3);
  const sum = weight.reduce((a, b) => a + b, 0);
  const n = 300 + Math.floor(rnd() * 301);
  const ids = new Set<string>();
  const out: ResidentInput[] = [];
  for (let i = 1; i <= n; i++) {
    let pick = rnd() * sum;
    let g = 0;
    while (g < grids.length - 1 && (pick -= weight[g]!) > 0) g++;
    const grid = grids[g]!;
    let r = rnd();
    const category = (WEIGHTS.find(([, w]) => (r -= w) < 0) ?? WEIGHTS[0]!)[0];
    let id: string;
    do {
      const y = birthYear(category, rnd);
      const m = String(1 + Math.floor(rnd() * 12)).padStart(2, '0');
      const d = String(1 + Math.floor(rnd() * 28)).padStart(2, '0');
      const s = String(Math.floor(rnd() * 1000)).padStart(3, '0');
      const first17 = `${DEMO_ID_AREA}${y}${m}${d}${s}`;
      id = first17 + idCheckChar(first17);
    } while (ids.has(id));
    ids.add(id);
    const community = names.get(grid.parent ?? '') ?? '';
    out.push({
      name: `测试居民${String(i).padStart(4, '0')}`,
      idNumber: id,
      phone: `${DEMO_PHONE_PREFIX}${String(i).padStart(4, '0')}`,
      category,
      gridCode: grid.code,
      address: `${community}示例小区${1 + Math.floor(rnd() * 20)}栋${1 + Math.floor(rnd() * 4)}单元${1 + Math.floor(rnd() * 18)}0${1 + Math.floor(rnd() * 4)}室`,
    });
  }
  return out;
}

/** Loads the demo register into an empty register (no-op otherwise). Returns how many were stored. */
export async function seedDemoRegister(register: PeopleRegister, seed = 7, tree?: AreaTree): Promise<number> {
  if ((await register.store.counts()).length > 0) return 0;
  const records = generateDemoRegister(seed, tree);
  try {
    await register.store.insertAll(records, 'system:demo', 'demo');
  } catch (err) {
    // Another hub node seeded the same register at the same moment.
    if (isUniqueViolation(err)) return 0;
    throw err;
  }
  await register.audit.append({
    userId: 'system:demo',
    role: 'system',
    action: 'people.import',
    target: { type: 'register', id: 'demo' },
    outcome: 'ok',
    detail: { stored: records.length, seed },
  });
  return records.length;
}
