import { describe, expect, it } from 'vitest';
import { haversine, METRES_PER_DEGREE, PointIndex } from '../../src/coverage/geodesy.js';
import { buildWalkGraph, type WalkGraph } from '../../src/coverage/walk-graph.js';

/** Neighbours of node k with edge lengths, sorted by neighbour. */
const edgesOf = (g: WalkGraph, k: number) =>
  [...g.targets.subarray(g.offsets[k]!, g.offsets[k + 1]!)]
    .map((t, e) => [t, g.metres[g.offsets[k]! + e]!] as const)
    .sort((a, b) => a[0] - b[0]);

describe('buildWalkGraph', () => {
  it('weighs a meridian segment by its haversine length (0.005° of latitude = 555.98 m on the 6,371,008.8 m sphere)', () => {
    expect(METRES_PER_DEGREE).toBeCloseTo(111_195.08, 2);
    const g = buildWalkGraph([
      {
        type: 'LineString',
        coordinates: [
          [117, 33.6],
          [117, 33.605],
          [117, 33.615],
        ],
      },
    ]);
    expect(g.nodeCount).toBe(3);
    expect(edgesOf(g, 1).map(([t, m]) => [t, Math.round(m * 100) / 100])).toEqual([
      [0, 555.98],
      [2, 1111.95],
    ]);
  });

  it('joins lines whose endpoints are within 1 m, and not those 3 m apart', () => {
    const east = 1 / (METRES_PER_DEGREE * Math.cos((33.6 * Math.PI) / 180)); // 1 m of longitude in degrees
    const near = buildWalkGraph({
      type: 'FeatureCollection',
      features: [
        {
          geometry: {
            type: 'LineString',
            coordinates: [
              [117, 33.6],
              [117, 33.605],
            ],
          },
        },
        {
          geometry: {
            type: 'LineString',
            coordinates: [
              [117 + 0.6 * east, 33.605],
              [117, 33.61],
            ],
          },
        },
      ],
    });
    expect(near.nodeCount).toBe(3);
    expect(edgesOf(near, 1).map(([t]) => t)).toEqual([0, 2]);
    const far = buildWalkGraph([
      {
        type: 'LineString',
        coordinates: [
          [117, 33.6],
          [117, 33.605],
        ],
      },
      {
        type: 'LineString',
        coordinates: [
          [117 + 3 * east, 33.605],
          [117, 33.61],
        ],
      },
    ]);
    expect(far.nodeCount).toBe(4);
    expect(edgesOf(far, 1).map(([t]) => t)).toEqual([0]);
  });

  it('connects lines crossing at a shared inner vertex, reads MultiLineStrings and skips what is not a street', () => {
    const g = buildWalkGraph({
      type: 'FeatureCollection',
      features: [
        {
          geometry: {
            type: 'LineString',
            coordinates: [
              [117, 33.6],
              [117.001, 33.6],
              [117.002, 33.6],
            ],
          },
        },
        {
          geometry: {
            type: 'MultiLineString',
            coordinates: [
              [
                [117.001, 33.599],
                [117.001, 33.6, 12],
                [117.001, 33.601],
              ],
              [
                [118, 34],
                [118, 34.001],
              ],
            ],
          },
        },
        { geometry: { type: 'Point', coordinates: [117, 33.6] } },
        { geometry: null },
        {
          geometry: {
            type: 'LineString',
            coordinates: [
              [117, 33.6],
              [Number.NaN, 1],
            ],
          },
        },
      ],
    });
    expect(g.nodeCount).toBe(7);
    expect(edgesOf(g, 1).map(([t]) => t)).toEqual([0, 2, 3, 4]); // the crossing has four neighbours
    expect(g.skipped).toBe(3);
  });

  it('finds the nearest node and its haversine distance, within a maximum', () => {
    const g = buildWalkGraph([
      {
        type: 'LineString',
        coordinates: [
          [117, 33.6],
          [117, 33.605],
          [117, 33.615],
        ],
      },
    ]);
    expect(g.nodes.nearest(117.0005, 33.6062)).toBe(1);
    expect(g.nodes.lastMetres).toBeCloseTo(haversine(117.0005, 33.6062, 117, 33.605), 9);
    expect(g.nodes.nearest(117.0005, 33.6062, 100)).toBe(-1);
    expect(g.nodes.lastMetres).toBe(Infinity);
    expect(new PointIndex(new Float64Array(0)).nearest(117, 33.6)).toBe(-1);
  });
});
