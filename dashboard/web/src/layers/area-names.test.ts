import { describe, expect, it } from 'vitest';
import { areaNames, NAME_STYLE, type NamedArea } from './area-names.js';

// One district of two streets; the first street holds two communities, the second one community and a sliver.
const area = (code: string, parent: string | null, name: string, level: NamedArea['level'], w: number, e: number) => ({
  code,
  parent,
  name,
  level,
  position: [(w + e) / 2, 0.5] as [number, number],
  bbox: [w, 0, e, 1] as [number, number, number, number],
});
const AREAS: NamedArea[] = [
  area('d', null, '甲区', 'district', 0, 1),
  area('s1', 'd', '乙街道', 'street', 0, 0.5),
  area('s2', 'd', '丙街道', 'street', 0.5, 1),
  area('c1', 's1', '丁社区', 'community', 0, 0.25),
  area('c2', 's1', '戊社区', 'community', 0.25, 0.5),
  area('c3', 's2', '己社区', 'community', 0.5, 0.75),
  area('c4', 's2', '庚社区', 'community', 0.75, 0.76),
];
// Every glyph as wide as the type is tall: a district's 2-glyph name is 44 px (its area must be 22 px wide), a
// street's 60 px (30), a community's 54 px (27).
const measure = (text: string, size: number) => text.length * size;
const named = (pxPerDegree: number, areas = AREAS) =>
  areaNames(areas, [pxPerDegree, pxPerDegree], measure)
    .map((l) => l.text)
    .sort();

describe('areaNames', () => {
  it('names the finest level whose areas hold their names, branch by branch', () => {
    expect(named(10)).toEqual([]); // not even the district has room for its name
    expect(named(50)).toEqual(['甲区']); // streets 25 px wide: too narrow for theirs
    expect(named(80)).toEqual(['丙街道', '乙街道']); // streets 40 px: the district gives way; communities 20 px
    // Communities 50 px: each street gives way to the communities it holds that read; the 2 px sliver stays unnamed.
    expect(named(200)).toEqual(['丁社区', '己社区', '戊社区']);
  });

  it('keeps a street named where none of its communities reads, beside the communities of a street where they do', () => {
    const wide = AREAS.map((a) => (a.code === 'c1' ? { ...a, bbox: [0, 0, 0.4, 1] as NamedArea['bbox'] } : a));
    const narrow = wide.filter((a) => a.code !== 'c2');
    // At 80 px a degree the first street's wide community (32 px) reads, the second street's (20 px) does not.
    expect(named(80, narrow)).toEqual(['丁社区', '丙街道']);
  });

  it('needs half a line of height too, and draws coarser names larger and first', () => {
    const flat = AREAS.map((a) => ({ ...a, bbox: [a.bbox[0], 0, a.bbox[2], 0.04] as NamedArea['bbox'] }));
    expect(named(200, flat)).toEqual([]); // 8 px tall: under half of any name's line
    const [d, s, c] = (['district', 'street', 'community'] as const).map((l) => NAME_STYLE[l]);
    expect(d!.size > s!.size && s!.size > c!.size).toBe(true);
    expect(d!.priority > s!.priority && s!.priority > c!.priority).toBe(true);
    const labels = areaNames(AREAS, [200, 200], measure);
    expect(labels.every((l) => l.layer === 'area-names' && l.size === NAME_STYLE.community.size)).toBe(true);
    expect(labels.find((l) => l.text === '丁社区')?.position).toEqual([0.125, 0.5]);
  });
});
