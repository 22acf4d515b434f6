import { describe, expect, it } from 'vitest';
import { GridPaintTracker } from '../../web/src/layers/grid-tiles-layer.js';

// The revision drives deck.gl's updateTriggers: it must change exactly when the colours do,
// or the tiles keep stale colours (too rarely) or recolour 15,000 grids on every redraw (too often).
describe('GridPaintTracker', () => {
  it('keeps the revision while values and selection are equal, and bumps it when either changes', () => {
    const t = new GridPaintTracker();
    const a = t.paint(
      new Map([
        ['g1', 0.5],
        ['g2', null],
      ]),
      'c1',
    );
    expect(
      t.paint(
        new Map([
          ['g1', 0.5],
          ['g2', null],
        ]),
        'c1',
      ).revision,
    ).toBe(a.revision);
    const b = t.paint(
      new Map([
        ['g1', 0.6],
        ['g2', null],
      ]),
      'c1',
    );
    expect(b.revision).toBeGreaterThan(a.revision);
    const c = t.paint(
      new Map([
        ['g1', 0.6],
        ['g2', null],
      ]),
      'g1',
    );
    expect(c.revision).toBeGreaterThan(b.revision);
    const d = t.paint(new Map([['g1', 0.6]]), 'g1');
    expect(d.revision).toBeGreaterThan(c.revision);
    expect(d.values.has('g2')).toBe(false);
  });
});
