import { describe, expect, it } from 'vitest';
import { diffCities } from '../../src/city/city-diff.js';
import { serviceTypeOf, validateHierarchy } from '@linli/geo';
import { parseCrs, parseMapping, parseReassign } from '../../src/city/cli-options.js';

describe('city import parts', () => {
  it('normalises facility kinds to service types, meals before care', () => {
    expect(serviceTypeOf('老年食堂')).toBe('canteen');
    expect(serviceTypeOf('日间照料中心')).toBe('elderly-care');
    expect(serviceTypeOf('社区卫生服务站')).toBe('clinic');
    expect(serviceTypeOf('便利店')).toBe('convenience');
    expect(serviceTypeOf('口袋公园')).toBe('park');
    expect(serviceTypeOf('clinic')).toBe('clinic');
    expect(serviceTypeOf('派出所')).toBeNull();
  });

  it('reports siblings with one name, not cousins', () => {
    const a = (code: string, name: string, parent: string) => ({
      code,
      name,
      parent,
      level: 'grid' as const,
      ring: null,
    });
    // geo's hierarchy check finds them (the grids have no rings: that is reported apart, as missing-ring).
    const found = validateHierarchy({
      areas: [
        a('341102001001001', '第一网格', '341102001001'),
        a('341102001002001', '第一网格', '341102001002'),
        a('341102001001002', '第一网格', '341102001001'),
      ],
    });
    const issues = found.filter((i) => i.kind === 'duplicate-name');
    expect(issues.map((i) => i.code)).toEqual(['341102001001002']);
    expect(issues[0]!.message).toMatch(/同名 \/ .*same name/);
  });

  it('diffs by code: added, removed, renamed, reshaped', () => {
    const m = (rows: [string, string, string][]) => new Map(rows.map(([c, n, r]) => [c, { name: n, ring: r }]));
    const d = diffCities(
      1,
      m([
        ['a', 'A', '1'],
        ['b', 'B', '1'],
        ['c', 'C', '1'],
      ]),
      2,
      m([
        ['a', 'A2', '1'],
        ['b', 'B', '2'],
        ['d', 'D', '1'],
      ]),
    );
    expect(d).toEqual({
      from: 1,
      to: 2,
      added: [{ code: 'd', name: 'D' }],
      removed: [{ code: 'c', name: 'C' }],
      renamed: [{ code: 'a', from: 'A', to: 'A2' }],
      reshaped: [{ code: 'b', name: 'B' }],
    });
  });

  it('reads --crs, --reassign and mapping files, refusing what it cannot use', () => {
    expect(parseCrs('CGCS2000')).toBe('WGS84');
    expect(parseCrs('gcj-02')).toBe('GCJ02');
    expect(() => parseCrs('epsg:3857')).toThrow(/wgs84, cgcs2000, gcj02/);
    expect(parseReassign(['341302001=341102001'])).toEqual(new Map([['341302001', '341102001']]));
    expect(() => parseReassign(['341302001:341102001'])).toThrow(/OLD=NEW/);
    expect(parseMapping('{"code":"QHDM","name":"QHMC"}', 'm.json')).toEqual({ code: 'QHDM', name: 'QHMC' });
    expect(() => parseMapping('{"code":"QHDM","levl":"JB"}', 'm.json')).toThrow(/m\.json:[\s\S]*"levl"[\s\S]*"level"/);
    expect(() => parseMapping('{"code":3}', 'm.json')).toThrow(/"code" 应为属性名/);
    expect(() => parseMapping('[', 'm.json')).toThrow(/m\.json: 不是有效的 JSON/);
  });
});
