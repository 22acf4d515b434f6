import { seededRandom } from '@linli/contract';
import { DEMO_CITY, PILOT_COMMUNITIES } from './demo-city-spec.js';
import type { Area, AreaTree, Ring } from './types.js';

// The one seeded PRNG (contract/src/random.ts), so the demo city is the same on every machine.
export { seededRandom };

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** Bilinear point inside the quadrilateral q (sw, se, ne, nw) at (u, v) in [0,1]². */
function bilinear(q: [number, number][], u: number, v: number): [number, number] {
  const [sw, se, ne, nw] = q as [[number, number], [number, number], [number, number], [number, number]];
  const lng = (1 - u) * (1 - v) * sw[0] + u * (1 - v) * se[0] + u * v * ne[0] + (1 - u) * v * nw[0];
  const lat = (1 - u) * (1 - v) * sw[1] + u * (1 - v) * se[1] + u * v * ne[1] + (1 - u) * v * nw[1];
  return [round(lng), round(lat)];
}

/** Cells of a quad cut rows × cols; neighbouring cells share exact vertices, so there are no gaps. */
function cells(q: [number, number][], rows: number, cols: number): Ring[] {
  const out: Ring[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const p = (cu: number, rv: number) => bilinear(q, cu / cols, rv / rows);
      const sw = p(c, r);
      out.push([sw, p(c + 1, r), p(c + 1, r + 1), p(c, r + 1), sw]);
    }
  }
  return out;
}

/** Builds the illustrative demo city from a seed: same seed, same city. */
export function buildDemoCity(seed = 20261123): AreaTree {
  const rnd = seededRandom(seed);
  const areas: Area[] = [
    { code: DEMO_CITY.city.code, name: DEMO_CITY.city.name, level: 'city', parent: null, ring: null },
    {
      code: DEMO_CITY.district.code,
      name: DEMO_CITY.district.name,
      level: 'district',
      parent: DEMO_CITY.city.code,
      ring: null,
    },
  ];
  const streets = new Set<string>();
  for (const c of PILOT_COMMUNITIES) {
    if (!streets.has(c.streetCode)) {
      streets.add(c.streetCode);
      areas.push({
        code: c.streetCode,
        name: c.street,
        level: 'street',
        parent: DEMO_CITY.district.code,
        ring: null,
      });
    }
    // Roughly 850 m × 650 m with jittered corners (1° lng ≈ 92.6 km here, 1° lat ≈ 111 km).
    const hw = 0.0042 + rnd() * 0.0006;
    const hh = 0.0028 + rnd() * 0.0004;
    const j = () => (rnd() - 0.5) * 0.0015;
    const [x, y] = c.at;
    const quad: [number, number][] = [
      [x - hw + j(), y - hh + j()],
      [x + hw + j(), y - hh + j()],
      [x + hw + j(), y + hh + j()],
      [x - hw + j(), y + hh + j()],
    ];
    const outer = cells(quad, 1, 1)[0]!;
    areas.push({ code: c.code, name: c.name, level: 'community', parent: c.streetCode, ring: outer });
    cells(quad, c.grid[0], c.grid[1]).forEach((ring, i) => {
      const n = i + 1;
      areas.push({
        code: `${c.code}${String(n).padStart(3, '0')}`,
        name: `${c.name}第${n}网格`,
        level: 'grid',
        parent: c.code,
        ring,
      });
    });
  }
  return {
    disclaimer:
      '示意数据：社区位置与边界为演示而虚构，不代表真实行政区划。Illustrative data: positions and boundaries are made up.',
    seed,
    areas,
  };
}
