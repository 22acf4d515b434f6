import { describe, expect, it } from 'vitest';
import type { ViewState } from '../view-state.js';
import { type CockpitChange, CockpitStore } from './cockpit-store.js';

const view = (): ViewState => ({
  area: '110101',
  layers: ['grids', 'alerts'],
  measure: 'alerts',
  win: '24h',
  from: 1000,
  to: 2000,
  at: null,
});

function storeWithLog() {
  const urls: ViewState[] = [];
  const store = new CockpitStore({ view: view(), selectedAlert: null, patrolAt: 30000, fieldWorkers: [] }, (v) =>
    urls.push({ ...v, layers: [...v.layers] }),
  );
  return { store, urls };
}

describe('CockpitStore', () => {
  it('changes the view through actions, writes the URL for each, and tells only the listeners of that change', () => {
    const { store, urls } = storeWithLog();
    const seen: CockpitChange[] = [];
    const areaOnly: string[] = [];
    store.subscribe(['area', 'layers', 'measure', 'window', 'patrolAt'], (c) => seen.push(c));
    store.subscribe(['area'], () => areaOnly.push(store.view.area!));
    store.selectArea('110101001');
    store.setLayer('heat', true);
    store.setLayer('alerts', false);
    store.setMeasure('coverage');
    store.setPatrolAt(36000);
    expect(seen).toEqual([
      { kind: 'area' },
      { kind: 'layers', id: 'heat' },
      { kind: 'layers', id: 'alerts' },
      { kind: 'measure' },
      { kind: 'patrolAt' },
    ]);
    expect(areaOnly).toEqual(['110101001']);
    // Layers keep the canonical order whatever order they were switched in.
    expect(store.view.layers).toEqual(['grids', 'heat']);
    expect(store.model.patrolAt).toBe(36000);
    expect(urls.map((u) => u.area)).toEqual(Array(5).fill('110101001'));
    expect(urls.at(-1)).toMatchObject({ measure: 'coverage', at: 36000, layers: ['grids', 'heat'] });
  });

  it('drops a linked period for a named window, and keeps it for "fixed"', () => {
    const { store } = storeWithLog();
    store.setWindow('fixed');
    expect(store.view).toMatchObject({ win: '24h', from: 1000, to: 2000 });
    store.setWindow('7d');
    expect(store.view).toMatchObject({ win: '7d', from: null, to: null });
  });

  it('keeps page state out of the URL and stops telling a listener that unsubscribed', () => {
    const { store, urls } = storeWithLog();
    const seen: string[] = [];
    const off = store.subscribe(['selectedAlert', 'fieldWorkers'], (c) => seen.push(c.kind));
    store.selectAlert('a1');
    store.setFieldWorkers([]);
    off();
    store.selectAlert(null);
    expect(seen).toEqual(['selectedAlert', 'fieldWorkers']);
    expect(store.model.selectedAlert).toBeNull();
    expect(urls).toEqual([]);
  });
});
