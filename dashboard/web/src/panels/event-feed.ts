import type { LinliEvent } from '@linli/contract';
import { formatTime, KIND_LABEL, SEVERITY_LABEL } from '../i18n.js';

const MAX_ROWS = 40;

/** The live event list beside the map; newest on top, bounded. */
export function renderFeed(
  list: HTMLOListElement,
  fresh: readonly LinliEvent[],
  areaName: (gridId: string) => string,
): void {
  for (const e of fresh) {
    const li = document.createElement('li');
    li.className = e.severity;
    li.dataset.kind = e.kind;
    const t = document.createElement('span');
    t.className = 't';
    t.textContent = formatTime(e.receivedAt);
    const k = document.createElement('span');
    k.className = 'k';
    k.textContent = `${KIND_LABEL[e.kind]} · ${SEVERITY_LABEL[e.severity]}`;
    const where = document.createElement('span');
    where.className = 'where';
    where.textContent = `${areaName(e.location.gridId)} · ${e.deviceId}`;
    li.append(t, k, where);
    list.prepend(li);
  }
  while (list.children.length > MAX_ROWS) list.lastElementChild?.remove();
}
