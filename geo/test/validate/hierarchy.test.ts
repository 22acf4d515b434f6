import { describe, expect, it } from 'vitest';
import { loadDemoCity } from '../../src/load.js';
import type { Ring } from '../../src/types.js';
import { type HierarchyArea, type HierarchyIssue, validateHierarchy } from '../../src/validate/hierarchy.js';

/** A position given in metres east and north of a corner of 马号社区 (1° lng ≈ 92.6 km here). */
const at = (e: number, n: number): [number, number] => [116.99 + e / 92_560, 33.64 + n / 111_195];
const box = (e0: number, n0: number, e1: number, n1: number): Ring => [
  at(e0, n0),
  at(e1, n0),
  at(e1, n1),
  at(e0, n1),
  at(e0, n0),
];

/** 马号社区: 400 m × 300 m, marked full cover, cut into a west and an east grid. */
function tree(change: (areas: HierarchyArea[]) => void = () => {}): HierarchyArea[] {
  const areas: HierarchyArea[] = [
    { code: '341300', name: '宿州市', level: 'city', parent: null, ring: null },
    { code: '341302', name: '埇桥区', level: 'district', parent: '341300', ring: null },
    { code: '341302002', name: '东关街道', level: 'street', parent: '341302', ring: null },
    {
      code: '341302002001',
      name: '马号社区',
      level: 'community',
      parent: '341302002',
      ring: box(0, 0, 400, 300),
      fullCover: true,
    },
    { code: '341302002001001', name: '第1网格', level: 'grid', parent: '341302002001', ring: box(0, 0, 200, 300) },
    { code: '341302002001002', name: '第2网格', level: 'grid', parent: '341302002001', ring: box(200, 0, 400, 300) },
  ];
  change(areas);
  return areas;
}
const byCode = (areas: HierarchyArea[], code: string) => areas.find((a) => a.code === code)!;
const WEST = '341302002001001';
const EAST = '341302002001002';
const summary = (issues: HierarchyIssue[]) => issues.map((i) => [i.code, i.kind]);
const check = (change: (areas: HierarchyArea[]) => void, toleranceM?: number) =>
  summary(validateHierarchy({ areas: tree(change) }, toleranceM === undefined ? {} : { toleranceM }));

describe('validateHierarchy', () => {
  it('passes the demo city with zero issues, also when every community is marked full cover', () => {
    const demo = loadDemoCity();
    expect(validateHierarchy(demo)).toEqual([]);
    const full = demo.areas.map((a) => (a.level === 'community' ? { ...a, fullCover: true } : a));
    expect(validateHierarchy({ areas: full })).toEqual([]);
  });

  it('passes a well-formed tree', () => {
    expect(check(() => {})).toEqual([]);
  });

  it('reports codes that break the pattern, repeat, or do not extend the parent code', () => {
    expect(check((a) => (byCode(a, WEST).code = '34130200200101'))).toEqual([['34130200200101', 'bad-code']]);
    expect(check((a) => (a[0]!.code = '341301'))).toEqual([
      ['341301', 'bad-code'],
      ['341302', 'missing-parent'],
    ]);
    expect(check((a) => (byCode(a, EAST).code = WEST))).toContainEqual([WEST, 'duplicate-code']);
    expect(check((a) => (byCode(a, EAST).code = '341302003001002'))).toEqual([['341302003001002', 'code-prefix']]);
    const issue = validateHierarchy({ areas: tree((a) => (byCode(a, WEST).code = '3413020020010x1')) })[0]!;
    expect(issue.message).toBe(
      '第1网格（3413020020010x1）：编码不符合网格编码规则（15 位：社区 12 位 + 3 位） / 第1网格 (3413020020010x1): code does not fit a grid code (15 digits: 12-digit community + 3)',
    );
  });

  it('reports missing parents, parents of the wrong level, and a city with a parent', () => {
    expect(check((a) => (byCode(a, WEST).parent = '341302002009'))).toContainEqual([WEST, 'missing-parent']);
    expect(check((a) => (byCode(a, WEST).parent = null))).toContainEqual([WEST, 'missing-parent']);
    expect(check((a) => (byCode(a, WEST).parent = '341302002'))).toContainEqual([WEST, 'parent-level']);
    expect(check((a) => (a[0]!.parent = '340000'))).toEqual([['341300', 'root-parent']]);
  });

  it('reports empty names and grids without a boundary', () => {
    expect(check((a) => (byCode(a, WEST).name = '  '))).toEqual([[WEST, 'empty-name']]);
    expect(check((a) => (byCode(a, EAST).ring = null))).toEqual([
      [EAST, 'missing-ring'],
      ['341302002001', 'gap'],
    ]);
  });

  it('reports bad geometry by area; a clockwise ring is reported but still checked in place', () => {
    const bowTie: Ring = [at(0, 0), at(200, 300), at(200, 0), at(0, 300), at(0, 0)];
    const issues = validateHierarchy({ areas: tree((a) => (byCode(a, WEST).ring = bowTie)) });
    expect(issues[0]).toMatchObject({ code: WEST, kind: 'geometry', geometry: 'self-intersection' });
    expect(issues[0]!.message).toMatch(
      /^第1网格（341302002001001）：多边形自相交.* \/ 第1网格 \(341302002001001\): polygon self-intersects/,
    );
    expect(check((a) => (byCode(a, WEST).ring = [...box(0, 0, 200, 300)].reverse()))).toEqual([[WEST, 'geometry']]);
  });

  it('reports a grid reaching outside its community by more than the tolerance', () => {
    expect(check((a) => (byCode(a, EAST).ring = box(200, 0, 405, 300)))).toEqual([[EAST, 'outside-parent']]);
    expect(check((a) => (byCode(a, EAST).ring = box(200, 0, 400.5, 300)))).toEqual([]);
    expect(check((a) => (byCode(a, EAST).ring = box(200, 0, 400.5, 300)), 0.2)).toEqual([[EAST, 'outside-parent']]);
    const issue = validateHierarchy({ areas: tree((a) => (byCode(a, EAST).ring = box(200, 0, 405, 300))) })[0]!;
    expect(issue.other).toBe('341302002001');
    expect(issue.message).toMatch(/第2网格（341302002001002）：超出上级 马号社区（341302002001）：边界最远超出 5 m/);
    expect(issue.message).toMatch(/extends outside its parent 马号社区 \(341302002001\): boundary up to 5 m out/);
  });

  it('sees an edge that crosses a concave notch even when every vertex is inside', () => {
    const u: Ring = [
      at(0, 0),
      at(400, 0),
      at(400, 300),
      at(300, 300),
      at(300, 100),
      at(100, 100),
      at(100, 300),
      at(0, 300),
      at(0, 0),
    ];
    const issues = check((a) => {
      byCode(a, '341302002001').ring = u;
      byCode(a, '341302002001').fullCover = false;
      byCode(a, WEST).ring = box(50, 150, 350, 250);
      a.pop();
    });
    expect(issues).toEqual([[WEST, 'outside-parent']]);
  });

  it('reports siblings that overlap beyond the tolerance, by depth or by area', () => {
    expect(check((a) => (byCode(a, WEST).ring = box(0, 0, 210, 300)))).toEqual([[WEST, 'overlap']]);
    expect(check((a) => (byCode(a, WEST).ring = box(0, 0, 200.5, 300)))).toEqual([]);
    // An exact duplicate under another code: no boundary point is inside the other, but the area is all shared.
    const dup = validateHierarchy({
      areas: tree((a) => a.push({ ...byCode(a, EAST), code: '341302002001003', name: '第3网格' })),
    });
    expect(summary(dup)).toEqual([[EAST, 'overlap']]);
    expect(dup[0]!.other).toBe('341302002001003');
    expect(dup[0]!.message).toMatch(/与同级 第3网格（341302002001003） 重叠约 600\d\d m²/);
  });

  it('compares areas of one level across parents, since streets usually have no boundary', () => {
    const issues = validateHierarchy({
      areas: tree((a) =>
        a.push(
          { code: '341302003', name: '南关街道', level: 'street', parent: '341302', ring: null },
          {
            code: '341302003001',
            name: '广场社区',
            level: 'community',
            parent: '341302003',
            ring: box(350, 0, 750, 300),
          },
        ),
      ),
    });
    expect(summary(issues)).toEqual([['341302002001', 'overlap']]);
    expect(issues[0]!.other).toBe('341302003001');
    expect(issues[0]!.message).toMatch(/重叠约 150\d\d m²，最深 50(\.\d+)? m/);
  });

  it('reports a gap under a full-cover community, and only there', () => {
    const issues = validateHierarchy({ areas: tree((a) => (byCode(a, WEST).ring = box(0, 0, 190, 300))) });
    expect(summary(issues)).toEqual([['341302002001', 'gap']]);
    expect(issues[0]!.message).toMatch(/标记为全覆盖，但下级未覆盖约 3000 m²，例如 \(116\.99\d+, 33\.6\d+\) 附近/);
    expect(issues[0]!.message).toMatch(/children leave about 3000 m² uncovered/);
    expect(check((a) => (byCode(a, WEST).ring = box(0, 0, 199.5, 300)))).toEqual([]);
    // A 10 m × 20 m notch: too small for the area bound on slivers, found by the lattice.
    const notch: Ring = [
      at(0, 0),
      at(200, 0),
      at(200, 140),
      at(190, 140),
      at(190, 160),
      at(200, 160),
      at(200, 300),
      at(0, 300),
      at(0, 0),
    ];
    const small = validateHierarchy({ areas: tree((a) => (byCode(a, WEST).ring = notch)) });
    expect(summary(small)).toEqual([['341302002001', 'gap']]);
    const [lng, lat] = /例如 \(([\d.]+), ([\d.]+)\) 附近/.exec(small[0]!.message)!.slice(1).map(Number) as [
      number,
      number,
    ];
    expect((lng - 116.99) * 92_560).toBeGreaterThan(189); // the point named lies in the notch
    expect((lng - 116.99) * 92_560).toBeLessThan(201);
    expect((lat - 33.64) * 111_195).toBeGreaterThan(139);
    expect((lat - 33.64) * 111_195).toBeLessThan(161);
    expect(small[0]!.message).toMatch(/未覆盖约 200 m²/);
    // A 1.5 m strip is wider than the 1 m tolerance; 0.8 m is not.
    expect(check((a) => (byCode(a, WEST).ring = box(0, 0, 198.5, 300)))).toEqual([['341302002001', 'gap']]);
    expect(check((a) => (byCode(a, WEST).ring = box(0, 0, 199.2, 300)))).toEqual([]);
    const notFull = check((a) => {
      byCode(a, WEST).ring = box(0, 0, 190, 300);
      byCode(a, '341302002001').fullCover = false;
    });
    expect(notFull).toEqual([]);
    expect(check((a) => a.splice(4, 2))).toEqual([['341302002001', 'gap']]);
  });
});
