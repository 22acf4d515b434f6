import { describe, expect, it } from 'vitest';
import { LayerMemo } from './layer-memo.js';

describe('LayerMemo', () => {
  it('returns the same object while the inputs are the same objects, and builds anew when one changes', () => {
    const memo = new LayerMemo();
    const data = [1, 2];
    let made = 0;
    const make = () => ({ n: ++made });
    memo.begin();
    const a = memo.get('grids', [data, 'alerts'], make);
    expect(memo.rebuilt).toEqual(['grids']);
    memo.begin();
    expect(memo.get('grids', [data, 'alerts'], make)).toBe(a);
    expect(memo.rebuilt).toEqual([]);
    memo.begin();
    // Equal content in a new array is a change: identity is what deck.gl compares too.
    const b = memo.get('grids', [[1, 2], 'alerts'], make);
    expect(b).not.toBe(a);
    expect(memo.rebuilt).toEqual(['grids']);
    expect(memo.totals).toEqual({ grids: 2 });
  });

  it('keeps groups apart and counts each', () => {
    const memo = new LayerMemo();
    memo.begin();
    memo.get('events', [1], () => 'e1');
    memo.get('heat', [1], () => 'h1');
    memo.begin();
    expect(memo.get('events', [2], () => 'e2')).toBe('e2');
    expect(memo.get('heat', [1], () => 'h2')).toBe('h1');
    expect(memo.rebuilt).toEqual(['events']);
    expect(memo.totals).toEqual({ events: 2, heat: 1 });
  });

  it('treats a different number of inputs as a change', () => {
    const memo = new LayerMemo();
    memo.get('x', [1], () => 'a');
    expect(memo.get('x', [1, undefined], () => 'b')).toBe('b');
  });

  it('builds every group anew after forget(), and keeps counting', () => {
    const memo = new LayerMemo();
    const data = [1];
    memo.get('grids', [data], () => 'a');
    memo.forget();
    memo.begin();
    // The same inputs: a map rebuilt for a lost WebGL context still needs layers its new deck.gl has not seen.
    expect(memo.get('grids', [data], () => 'b')).toBe('b');
    expect(memo.rebuilt).toEqual(['grids']);
    expect(memo.totals).toEqual({ grids: 2 });
    expect(memo.get('grids', [data], () => 'c')).toBe('b');
  });
});
