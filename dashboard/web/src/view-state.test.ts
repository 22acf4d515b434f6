import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_LAYERS, readView, type ViewState, WINDOWS, windowOf, writeView } from './view-state.js';

describe('view state in the address bar', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('reads a full deep link', () => {
    const v = readView('?area=341302001&layers=grids,heat&measure=coverage&from=10&to=20&at=3600');
    expect(v).toEqual({
      area: '341302001',
      layers: ['grids', 'heat'],
      measure: 'coverage',
      win: '24h',
      from: 10,
      to: 20,
      at: 3600,
    });
  });

  it('falls back to defaults for anything missing or malformed, never to what the link says', () => {
    const v = readView('?area=34&layers=grids,bogus&measure=people&win=2y&from=-5&at=x');
    expect(v.area).toBeNull();
    expect(v.layers).toEqual(['grids']);
    expect(v.measure).toBe('alerts');
    expect(v.win).toBe('24h');
    expect(v.from).toBeNull();
    expect(v.at).toBeNull();
    expect(readView('').layers).toEqual(DEFAULT_LAYERS);
    // An explicit empty list means "no layers", not the defaults.
    expect(readView('?layers=').layers).toEqual([]);
  });

  it('writes a view that reads back the same, without adding history entries', () => {
    const replaced: string[] = [];
    vi.stubGlobal('location', { pathname: '/', search: '' });
    vi.stubGlobal('history', { replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) });
    const v: ViewState = {
      area: '341302001001',
      layers: ['alerts', 'patrols'],
      measure: 'population',
      win: '7d',
      from: null,
      to: null,
      at: 7200,
    };
    writeView(v);
    expect(replaced).toHaveLength(1);
    expect(readView(replaced[0]!.slice(1))).toEqual(v);
  });

  it('gives a fixed window when the link has one, else the named length ending now', () => {
    const base = readView('?win=1h');
    expect(windowOf(base, 10_000_000)).toEqual([10_000_000 - WINDOWS['1h'], 10_000_000]);
    expect(windowOf({ ...base, from: 5, to: 9 }, 10_000_000)).toEqual([5, 9]);
    // A reversed fixed window is not a window: the named length applies.
    expect(windowOf({ ...base, from: 9, to: 5 }, 10_000_000)).toEqual([10_000_000 - WINDOWS['1h'], 10_000_000]);
  });
});
