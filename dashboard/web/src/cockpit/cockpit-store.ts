import type { FieldWorkerView } from '../layers/field-workers-layer.js';
import { LAYER_IDS, type LayerId, type Measure, type ViewState, type WindowId, writeView } from '../view-state.js';

/** What the cockpit shows: the linkable view (area, layers, measure, window, patrol time) and the page's own choices. */
export interface CockpitModel {
  readonly view: ViewState;
  /** The alert whose detail is open. */
  readonly selectedAlert: string | null;
  /** The patrol slider, seconds since midnight. */
  readonly patrolAt: number;
  /** Workers on patrol or on a task, as the field panel last reported them. */
  readonly fieldWorkers: readonly FieldWorkerView[];
}

/** What changed; `layers` names the switch that was flipped. */
export type CockpitChange =
  | { kind: 'area' }
  | { kind: 'layers'; id: LayerId }
  | { kind: 'measure' }
  | { kind: 'window' }
  | { kind: 'patrolAt' }
  | { kind: 'selectedAlert' }
  | { kind: 'fieldWorkers' };
type Kind = CockpitChange['kind'];

/**
 * The cockpit's one store. Views change it only through these actions and
 * learn of changes by subscribing; the address bar is derived from it (every
 * action that changes the view writes the URL), so a link reproduces what is
 * shown. Listeners run in the order they subscribed.
 */
export class CockpitStore {
  private m: CockpitModel;
  private readonly listeners: { kinds: ReadonlySet<Kind>; fn: (c: CockpitChange) => void }[] = [];

  constructor(
    initial: CockpitModel,
    private readonly persist: (v: ViewState) => void = writeView,
  ) {
    this.m = initial;
  }

  get model(): CockpitModel {
    return this.m;
  }
  get view(): ViewState {
    return this.m.view;
  }

  subscribe<K extends Kind>(kinds: readonly K[], fn: (c: Extract<CockpitChange, { kind: K }>) => void): () => void {
    const entry = { kinds: new Set<Kind>(kinds), fn: fn as (c: CockpitChange) => void };
    this.listeners.push(entry);
    return () => void this.listeners.splice(this.listeners.indexOf(entry), 1);
  }

  /** Writes the URL from the view as it is (on opening, after the area was checked). */
  writeUrl(): void {
    this.persist(this.m.view);
  }

  selectArea(code: string): void {
    this.setView({ area: code }, { kind: 'area' });
  }

  setLayer(id: LayerId, shown: boolean): void {
    const was = this.m.view.layers;
    const layers = LAYER_IDS.filter((l) => (l === id ? shown : was.includes(l)));
    this.setView({ layers }, { kind: 'layers', id });
  }

  setMeasure(measure: Measure): void {
    this.setView({ measure }, { kind: 'measure' });
  }

  /** A named window ending now; 'fixed' keeps the period a link carried. */
  setWindow(win: WindowId | 'fixed'): void {
    this.setView(win === 'fixed' ? {} : { win, from: null, to: null }, { kind: 'window' });
  }

  setPatrolAt(seconds: number): void {
    this.m = { ...this.m, patrolAt: seconds };
    this.setView({ at: seconds }, { kind: 'patrolAt' });
  }

  selectAlert(id: string | null): void {
    this.m = { ...this.m, selectedAlert: id };
    this.emit({ kind: 'selectedAlert' });
  }

  setFieldWorkers(workers: readonly FieldWorkerView[]): void {
    this.m = { ...this.m, fieldWorkers: workers };
    this.emit({ kind: 'fieldWorkers' });
  }

  private setView(patch: Partial<ViewState>, change: CockpitChange): void {
    // The view object is kept and changed in place: readers holding it (the wall's shared helpers) see the change.
    Object.assign(this.m.view, patch);
    this.persist(this.m.view);
    this.emit(change);
  }

  private emit(c: CockpitChange): void {
    for (const l of [...this.listeners]) if (l.kinds.has(c.kind)) l.fn(c);
  }
}
