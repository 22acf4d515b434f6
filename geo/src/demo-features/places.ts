import { PILOT_COMMUNITIES } from '../demo-city-spec.js';
import type { Area } from '../types.js';
import { inQuad, type Pt, pt } from './geometry.js';
import type { DemoFacility, DemoHousehold, ParkFeature } from './types.js';

/** A point well inside a grid (10 %–90 % along each side, so never on a shared edge). */
const inside = (grid: Area, rnd: () => number): Pt => inQuad(grid.ring!, 0.1 + rnd() * 0.8, 0.1 + rnd() * 0.8);

/**
 * Facilities of every service type: per community an elderly-care station
 * and one to three convenience stores, most with a canteen for the elderly,
 * half with a health station; per street (街道) one health service centre;
 * and each park's gate as a `park` facility.
 */
export function buildFacilities(
  communities: readonly Area[],
  gridsOf: (code: string) => Area[],
  parks: readonly ParkFeature[],
  rnd: () => number,
): DemoFacility[] {
  const out: DemoFacility[] = [];
  const add = (type: DemoFacility['type'], name: string, position: Pt) =>
    out.push({ id: `${type}-${String(out.length + 1).padStart(3, '0')}`, type, name, position });
  const streetsDone = new Set<string>();
  for (const c of communities) {
    const grids = gridsOf(c.code);
    const pick = () => grids[Math.floor(rnd() * grids.length)]!;
    const short = c.name.replace(/社区$/, '');
    add('elderly-care', `${c.name}养老服务站`, inside(pick(), rnd));
    if (rnd() < 0.7) add('canteen', `${short}老年食堂`, inside(pick(), rnd));
    if (rnd() < 0.5) add('clinic', `${short}社区卫生服务站`, inside(pick(), rnd));
    const street = PILOT_COMMUNITIES.find((p) => p.code === c.code)?.street;
    if (street && !streetsDone.has(street)) {
      streetsDone.add(street);
      add('clinic', `${street}社区卫生服务中心`, inside(pick(), rnd));
    }
    const stores = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < stores; k++) add('convenience', `${short}便民超市${k + 1}号店`, inside(pick(), rnd));
  }
  for (const p of parks) {
    const [a, b] = p.geometry.coordinates[0]!;
    add('park', p.properties.name, pt((a![0] + b![0]) / 2, (a![1] + b![1]) / 2));
  }
  return out;
}

/**
 * Synthetic households: two to four buildings (栋) per grid, numbered through
 * the community; each with one or two units (单元) of up to six floors, two
 * flats a floor, some empty. A home's code is 栋-单元-室 (e.g. `7-2-301`);
 * about one in ten is an older person living alone. Made up, like the city.
 */
export function buildHouseholds(
  communities: readonly Area[],
  gridsOf: (code: string) => Area[],
  rnd: () => number,
): DemoHousehold[] {
  const out: DemoHousehold[] = [];
  for (const c of communities) {
    let building = 0;
    for (const grid of gridsOf(c.code)) {
      const buildings = 2 + Math.floor(rnd() * 3);
      for (let b = 0; b < buildings; b++) {
        building++;
        const u = 0.15 + rnd() * 0.7;
        const v = 0.15 + rnd() * 0.7;
        const units = 1 + Math.floor(rnd() * 2);
        const floors = 3 + Math.floor(rnd() * 4);
        for (let unit = 1; unit <= units; unit++) {
          // Each unit's entrance a few metres along the building, still well inside the grid.
          const position = inQuad(grid.ring!, Math.min(0.9, u + (unit - 1) * 0.04), v);
          for (let floor = 1; floor <= floors; floor++) {
            for (let flat = 1; flat <= 2; flat++) {
              if (rnd() < 0.25) continue;
              const code = `${building}-${unit}-${floor}${String(flat).padStart(2, '0')}`;
              out.push({ id: `${grid.code}-${code}`, code, grid: grid.code, position, loneElder: rnd() < 0.1 });
            }
          }
        }
      }
    }
  }
  return out;
}
