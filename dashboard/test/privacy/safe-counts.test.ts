import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { figureRange, publishRow, sumRange } from '../../src/privacy/safe-counts.js';
import { Attacker } from './attacker.js';
import { cellName, exposures, hiddenCells, learnRows, type ViewRow } from './published-view.js';

const row = (gridCode: string, cells: Record<string, number>): ViewRow => ({ gridCode, ...publishRow(cells) });

describe('publishRow', () => {
  it('shows a cell from 5 up, hides 0–4 behind "<5", and gives the total only as the range of the shown cells', () => {
    expect(publishRow({ a: 4, b: 7, c: 4 })).toEqual({
      cells: { a: '<5', b: 7, c: '<5' },
      total: { min: 7, max: 15 },
    });
    expect(publishRow({ a: 0, b: 5 })).toEqual({ cells: { a: '<5', b: 5 }, total: { min: 5, max: 9 } });
    expect(publishRow({ a: 12, b: 5 })).toEqual({ cells: { a: 12, b: 5 }, total: { min: 17, max: 17 } });
    expect(figureRange('<5')).toEqual({ min: 0, max: 4 });
    expect(sumRange([5, '<5', '<5'])).toEqual({ min: 5, max: 13 });
  });

  it('catches the finding of issue 17: <5, 7, <5 with total 15 pins both hidden cells at 4', () => {
    // The reply GET /api/population/counts gave for one grid before this method (zeros were shown then).
    const observed: ViewRow = {
      gridCode: 'g1',
      cells: { lone_elder: '<5', empty_nest_elder: 7, left_behind_child: '<5' },
      total: 15,
    };
    const att = new Attacker();
    learnRows(att, [observed], { zerosShown: true });
    const truth = { lone_elder: 4, empty_nest_elder: 7, left_behind_child: 4 } as Record<string, number>;
    const found = exposures(att, hiddenCells([observed]), (c) => truth[c.split('|')[1]!]);
    expect(found).toEqual([
      { cell: cellName('g1', 'left_behind_child'), bounds: { min: 4, max: 4 }, truth: 4 },
      { cell: cellName('g1', 'lone_elder'), bounds: { min: 4, max: 4 }, truth: 4 },
    ]);
    // The same register published now: nothing to solve for.
    const now = new Attacker();
    const published = row('g1', truth);
    learnRows(now, [published]);
    expect(exposures(now, hiddenCells([published]), (c) => truth[c.split('|')[1]!])).toEqual([]);
    expect(now.bounds(cellName('g1', 'lone_elder'))).toEqual({ min: 0, max: 4 });
  });

  it('also catches a total that leaves two values but not the whole range (3 + 4 beside 9, total 16)', () => {
    const att = new Attacker();
    learnRows(att, [{ gridCode: 'g', cells: { a: '<5', b: '<5', c: 9 }, total: 16 }], { zerosShown: true });
    expect(att.bounds(cellName('g', 'a'))).toEqual({ min: 3, max: 4 });
  });

  it('leaves every hidden cell all of 0–4 beside sibling grids and the area range above them (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), fc.nat({ max: 14 }), { minKeys: 1 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 2, max: 8 }),
        (grids, threshold) => {
          const rows = grids.map((cells, i) => ({ gridCode: `g${i}`, ...publishRow(cells, threshold) }));
          for (const r of rows)
            for (const v of Object.values(r.cells))
              if (typeof v === 'number') expect(v).toBeGreaterThanOrEqual(threshold);
          const att = new Attacker();
          learnRows(att, rows, { threshold });
          // The area above the grids, as the cockpit shows it: the range of all their cells together.
          const area = rows.flatMap((r) => Object.keys(r.cells).map((c) => cellName(r.gridCode, c)));
          att.learn(area, {
            min: rows.reduce((n, r) => n + r.total.min, 0),
            max: rows.reduce((n, r) => n + r.total.max, 0),
          });
          const truth = (c: string) => grids[Number(c.slice(1, c.indexOf('|')))]![c.split('|')[1]!];
          expect(exposures(att, hiddenCells(rows), truth, threshold)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
