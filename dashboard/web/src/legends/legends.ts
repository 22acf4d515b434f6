import type { LayerId, Measure } from '../view-state.js';
import { t } from '../i18n.js';
import { alertsLegend } from './alerts-legend.js';
import { checkinLegend } from './checkin-legend.js';
import { coverageLegend } from './coverage-legend.js';
import { devicesLegend } from './devices-legend.js';
import { eventsLegend } from './events-legend.js';
import { gridLegend } from './grid-legend.js';
import { heatLegend } from './heat-legend.js';
import { patrolsLegend } from './patrols-legend.js';
import { populationLegend } from './population-legend.js';

/** What the legends need to know about the map as drawn. */
export interface LegendInput {
  layers: readonly LayerId[];
  measure: Measure;
  /** The grid measure's highest value among the grids shown (the ramp's top). */
  gridMax: number;
  heatTotal: number;
  heatWindow: string;
  facilityTypes: readonly string[];
  coverageMinutes: number;
  /** The grids are coloured by today's check-in coverage (overlays.ts checkinColouring), not by the measure. */
  checkins?: boolean;
}

/** A legend's id: a layer's, or `checkins` for the grid colouring while the patrol layer is on. */
export type LegendId = LayerId | 'checkins';

const ORDER: LegendId[] = [
  'alerts',
  'grids',
  'heat',
  'events',
  'devices',
  'coverage',
  'population',
  'patrols',
  'checkins',
];

/** What each host shows now: the map redraws ten times a second while alerts pulse, the legends only on a change. */
const drawn = new WeakMap<HTMLElement, string>();

/**
 * One legend per active layer, in a fixed order, replacing what `host` held; returns the legend ids shown.
 * While the grids are coloured by check-in coverage, its legend stands in for the measure's (one colouring, one key).
 */
export function renderLegends(host: HTMLElement, x: LegendInput): LegendId[] {
  const shown = ORDER.filter((l) =>
    l === 'checkins' ? x.checkins === true : l === 'grids' ? !x.checkins && x.layers.includes(l) : x.layers.includes(l),
  );
  const key = JSON.stringify(x);
  if (drawn.get(host) === key) return shown;
  drawn.set(host, key);
  host.replaceChildren(
    ...shown.map((l) => {
      switch (l) {
        case 'grids':
          return gridLegend(x.measure, x.gridMax);
        case 'heat':
          return heatLegend(x.heatTotal, x.heatWindow);
        case 'coverage':
          return coverageLegend(x.facilityTypes, x.coverageMinutes);
        case 'devices':
          return devicesLegend();
        case 'alerts':
          return alertsLegend();
        case 'events':
          return eventsLegend();
        case 'population':
          return populationLegend();
        case 'patrols':
          return patrolsLegend();
        case 'checkins':
          return checkinLegend(t('今日', 'today'));
      }
    }),
  );
  host.hidden = shown.length === 0;
  return shown;
}
