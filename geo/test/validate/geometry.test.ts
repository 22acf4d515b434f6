import { describe, expect, it } from 'vitest';
import { issueText, rewind, validatePolygon } from '../../src/validate/geometry.js';

type P = [number, number];
const SQUARE: P[] = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 1],
  [0, 0],
];
const HOLE: P[] = [
  [0.25, 0.25],
  [0.25, 0.75],
  [0.75, 0.75],
  [0.75, 0.25],
  [0.25, 0.25],
];
const kinds = (coords: unknown) => validatePolygon(coords).map((i) => i.kind);

describe('validatePolygon', () => {
  it('accepts a counter-clockwise ring with a clockwise hole inside it', () => {
    expect(validatePolygon([SQUARE])).toEqual([]);
    expect(validatePolygon([SQUARE, HOLE])).toEqual([]);
  });

  it('reports coordinates that are not a polygon', () => {
    expect(kinds('nope')).toEqual(['malformed']);
    expect(kinds([])).toEqual(['malformed']);
    expect(kinds([SQUARE, 7])).toEqual(['malformed']);
  });

  it('reports positions that are not finite numbers, naming the ring and position', () => {
    for (const bad of [[NaN, 0], [0, Infinity], ['1', 0], [1], null]) {
      const issues = validatePolygon([[[0, 0], [1, 0], bad, [0, 0]]]);
      expect(issues.map((i) => i.kind)).toEqual(['not-finite']);
      expect(issueText(issues[0]!)).toBe(
        '外环第 3 个坐标不是有限数值 / outer ring position 3 is not a pair of finite numbers',
      );
    }
  });

  it('reports coordinates out of range', () => {
    for (const bad of [
      [181, 0],
      [-180.5, 0],
      [0, 90.1],
      [0, -91],
    ]) {
      const issues = validatePolygon([[[0, 0], [1, 0], bad, [0, 0]]]);
      expect(issues.map((i) => i.kind)).toEqual(['out-of-range']);
      expect(issues[0]!.at).toEqual(bad);
    }
    expect(
      kinds([
        [
          [179, 89],
          [180, 89],
          [180, 90],
          [179, 89],
        ],
      ]),
    ).toEqual([]);
  });

  it('reports rings with fewer than four positions, and unclosed rings', () => {
    expect(
      kinds([
        [
          [0, 0],
          [1, 0],
          [0, 0],
        ],
      ]),
    ).toEqual(['too-few-positions']);
    expect(
      kinds([
        [
          [0, 0],
          [1, 0],
          [1, 1],
        ],
      ]),
    ).toEqual(['too-few-positions', 'unclosed']);
    const open = validatePolygon([SQUARE.slice(0, 4)]);
    expect(open.map((i) => i.kind)).toEqual(['unclosed']);
    expect(issueText(open[0]!)).toBe(
      '外环未闭合：首尾坐标不同 / outer ring is not closed: first and last positions differ',
    );
  });

  it('reports a ring with no area', () => {
    expect(
      kinds([
        [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, 0],
        ],
      ]),
    ).toEqual(['zero-area']);
  });

  it('reports self-intersections: a bow-tie, a ring touching itself, a spike', () => {
    const bowTie = validatePolygon([
      [
        [0, 0],
        [1, 1],
        [1, 0],
        [0, 1],
        [0, 0],
      ],
    ]);
    expect(bowTie.map((i) => i.kind)).toEqual(['self-intersection']);
    expect(bowTie[0]!.at).toEqual([0.5, 0.5]);
    expect(bowTie[0]!.zh).toMatch(/^多边形自相交：外环第 1 与第 3 条边在 \(0\.5, 0\.5\) 相交/);
    expect(bowTie[0]!.en).toMatch(/^polygon self-intersects: outer ring edges 1 and 3 meet/);
    // Two squares joined at one corner (a figure eight through a shared vertex).
    expect(
      kinds([
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [2, 1],
          [2, 2],
          [1, 2],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ]),
    ).toEqual(['self-intersection']);
    // A spike: out along an edge and straight back.
    expect(
      kinds([
        [
          [0, 0],
          [2, 0],
          [1, 0],
          [1, 1],
          [0, 0],
        ],
      ]),
    ).toEqual(['self-intersection']);
    // A repeated vertex is not an intersection.
    expect(
      kinds([
        [
          [0, 0],
          [1, 0],
          [1, 0],
          [1, 1],
          [0, 1],
          [0, 0],
        ],
      ]),
    ).toEqual([]);
  });

  it('reports winding against RFC 7946, and rewind() fixes it', () => {
    const cw = [...SQUARE].reverse();
    const ccwHole = [...HOLE].reverse();
    const issues = validatePolygon([cw, ccwHole]);
    expect(issues.map((i) => [i.kind, i.ring])).toEqual([
      ['winding', 0],
      ['winding', 1],
    ]);
    expect(issues[0]!.zh).toContain('rewind()');
    const fixed = rewind([cw, ccwHole]);
    expect(validatePolygon(fixed)).toEqual([]);
    expect(fixed).toEqual([SQUARE, HOLE]);
    expect(cw[0]).toEqual([0, 0]); // the input is not changed
  });

  it('reports holes outside their outer ring, or crossing it', () => {
    const away: P[] = HOLE.map(([x, y]) => [x + 5, y]);
    expect(validatePolygon([SQUARE, away]).map((i) => [i.kind, i.ring])).toEqual([['hole-outside', 1]]);
    // A U-shaped outer ring; the hole's corners are all inside but its top edge crosses the notch.
    const u: P[] = [
      [0, 0],
      [3, 0],
      [3, 3],
      [2, 3],
      [2, 1],
      [1, 1],
      [1, 3],
      [0, 3],
      [0, 0],
    ];
    const bridge: P[] = [
      [0.5, 2],
      [0.5, 2.5],
      [2.5, 2.5],
      [2.5, 2],
      [0.5, 2],
    ];
    expect(kinds([u])).toEqual([]);
    expect(kinds([u, bridge])).toEqual(['hole-outside']);
  });
});
