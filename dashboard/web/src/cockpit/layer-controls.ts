import { t } from '../i18n.js';
import { LAYER_IDS, type LayerId, MEASURES, type Measure, WINDOWS, type WindowId } from '../view-state.js';
import type { CockpitStore } from './cockpit-store.js';

const LAYER_LABEL: Record<LayerId, string> = {
  grids: t('网格专题', 'Grids'),
  population: t('重点人群', 'Key populations'),
  alerts: t('告警', 'Alerts'),
  events: t('实时事件', 'Live events'),
  heat: t('事件热力', 'Event heatmap'),
  coverage: t('服务覆盖', 'Service coverage'),
  devices: t('设备状态', 'Devices'),
  patrols: t('巡查轨迹', 'Patrol tracks'),
};
export const WIN_LABEL: Record<WindowId, string> = {
  '1h': t('近1小时', 'last hour'),
  '24h': t('近24小时', 'last 24 h'),
  '7d': t('近7天', 'last 7 days'),
  '30d': t('近30天', 'last 30 days'),
};
const MEASURE_LABEL: Record<Measure, string> = {
  alerts: t('按告警', 'by alerts'),
  population: t('按重点人群', 'by key population'),
  coverage: t('按覆盖缺口', 'by coverage gap'),
};

/**
 * The layer switches, grid measure, heat window and patrol slider: each
 * control calls a store action (which writes the URL); the patrol time shown
 * follows the store.
 */
export function mountLayerControls(store: CockpitStore): void {
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const view = store.view;
  const layersHost = $('layers');
  for (const id of LAYER_IDS) {
    const label = document.createElement('label');
    label.className = 'layer-toggle';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.dataset.layer = id;
    box.checked = view.layers.includes(id);
    box.addEventListener('change', () => store.setLayer(id, box.checked));
    label.append(box, ` ${LAYER_LABEL[id]}`);
    layersHost.append(label);
  }
  const measure = $<HTMLSelectElement>('measure');
  for (const m of MEASURES) measure.add(new Option(MEASURE_LABEL[m], m, false, m === view.measure));
  measure.addEventListener('change', () => store.setMeasure(measure.value as Measure));
  const win = $<HTMLSelectElement>('win');
  for (const w of Object.keys(WINDOWS) as WindowId[]) win.add(new Option(WIN_LABEL[w], w, false, w === view.win));
  if (view.from !== null) win.add(new Option(t('链接指定时段', 'linked period'), 'fixed', true, true));
  win.addEventListener('change', () => store.setWindow(win.value as WindowId | 'fixed'));
  const slider = $<HTMLInputElement>('patrol-time');
  slider.value = String(store.model.patrolAt);
  const showPatrolTime = () => {
    const at = store.model.patrolAt;
    $('patrol-out').textContent =
      `${String(Math.floor(at / 3600)).padStart(2, '0')}:${String(Math.floor((at % 3600) / 60)).padStart(2, '0')}`;
  };
  showPatrolTime();
  store.subscribe(['patrolAt'], showPatrolTime);
  slider.addEventListener('input', () => store.setPatrolAt(Number(slider.value)));
}
