import type { Matter } from '@linli/contract';
import { checkFieldUpdate } from '@linli/contract/browser';
import type { Socket } from 'socket.io-client';
import type { Api } from '../api.js';
import type { AreaTree } from '../area-tree.js';
import { t } from '../i18n.js';
import './field-panel.css';
import { ageText, type FieldWorkerView } from '../layers/field-workers-layer.js';
import { mountCheckinCoverage } from './checkin-coverage.js';
import type { CheckinFigures } from './checkin-figures.js';

const REFRESH_MS = 30_000;

/**
 * The field beside the map (docs/field.md): workers on patrol or on a task
 * in the selected area (position age), and open matters by category. Workers
 * are asked for only by roles that oversee field work (the hub refuses the
 * others: the list then stays hidden); matters by every viewer of the area.
 */
export function mountFieldPanel(
  host: HTMLElement,
  api: Api,
  socket: Socket,
  tree: AreaTree,
  inArea: (grid: string) => boolean,
  onWorkers: (workers: FieldWorkerView[]) => void,
  checkins: CheckinFigures,
): { refresh: () => void } {
  let workers: FieldWorkerView[] = [];
  let matters: Matter[] = [];
  let oversees = true;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const render = () => {
    const now = Date.now();
    const here = workers.filter((w) => inArea(w.gridId));
    const open = matters.filter((m) => inArea(m.gridId));
    const byCategory = new Map<string, number>();
    for (const m of open) byCategory.set(m.category, (byCategory.get(m.category) ?? 0) + 1);
    host.hidden = !oversees && open.length === 0;
    host.innerHTML = `<h2>${t('外勤', 'Field')}</h2>`;
    if (oversees) {
      const h = document.createElement('h3');
      h.textContent = `${t('在岗网格员', 'Workers out')} ${here.length}`;
      const ul = document.createElement('ul');
      ul.className = 'field-workers';
      for (const w of here) {
        const li = document.createElement('li');
        li.dataset.user = w.userId;
        li.textContent = `${w.name} · ${tree.name(w.gridId)} · ${w.patrolId ? t('巡查中', 'patrolling') : t('处置中', 'on a task')} · ${ageText(w.at, now)}`;
        ul.append(li);
      }
      host.append(h, ul);
    }
    const h = document.createElement('h3');
    h.textContent = `${t('待办事项', 'Open matters')} ${open.length}`;
    const ul = document.createElement('ul');
    ul.className = 'field-matters';
    for (const [category, n] of [...byCategory].sort((a, b) => b[1] - a[1])) {
      const li = document.createElement('li');
      li.dataset.category = category;
      li.textContent = `${category} ${n}`;
      ul.append(li);
    }
    host.append(h, ul);
  };

  const load = async () => {
    const [w, m] = await Promise.all([
      oversees
        ? api.get('/api/field/workers').catch((err: { status?: number }) => {
            if (err.status === 403) oversees = false;
            return { workers: [] as FieldWorkerView[] };
          })
        : Promise.resolve({ workers: [] as FieldWorkerView[] }),
      api.get('/api/field/matters').catch(() => ({ matters: [] as Matter[] })),
    ]);
    workers = w.workers;
    matters = m.matters;
    onWorkers(workers);
    render();
  };
  const refresh = () => {
    if (timer) return;
    // Updates come in bursts (a track of ten points): one reload for the burst.
    timer = setTimeout(() => {
      timer = null;
      void load();
    }, 500);
  };

  socket.on('field', (u: unknown) => {
    const checked = checkFieldUpdate(u);
    if (!checked.ok) return console.warn('dropped an invalid field update from the hub', checked.issues);
    refresh();
  });
  socket.on('alert', (a: { kind?: string }) => a?.kind === 'field.matter' && refresh());
  setInterval(() => void load(), REFRESH_MS);
  void load();
  const coverage = mountCheckinCoverage(host, checkins, tree, inArea);
  return {
    refresh: () => {
      render();
      coverage.render();
    },
  };
}
