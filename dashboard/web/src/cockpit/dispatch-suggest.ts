import type { Api } from '../api.js';
import { t } from '../i18n.js';

const USER = 'user:';

/**
 * Named workers to dispatch to, above the teams in the dispatch list: the
 * grid's workers first, then the nearest on patrol (GET /api/field/suggest,
 * docs/field.md). The first one is preselected: the phone of a named person
 * rings, a team's does not.
 */
export async function addWorkerSuggestions(select: HTMLSelectElement, api: Api, alertId: string): Promise<void> {
  const r = await api.get('/api/field/suggest/:alertId', {}, { alertId }).catch(() => null);
  if (!r?.candidates.length) return;
  const group = document.createElement('optgroup');
  group.label = t('指派人员', 'People');
  for (const c of r.candidates.slice(0, 8)) {
    const o = document.createElement('option');
    o.value = USER + c.userId;
    o.textContent =
      c.reason === 'grid'
        ? `${c.name}（${t('本网格', 'this grid')}）`
        : `${c.name}（${t('巡查中', 'on patrol')} ${c.distanceM} ${t('米', 'm')}）`;
    group.append(o);
  }
  select.prepend(group);
  select.value = group.querySelector('option')!.value;
}

/** The assignee an option of that list stands for. */
export function assigneeOf(value: string): { type: 'user' | 'team'; id: string } {
  return value.startsWith(USER) ? { type: 'user', id: value.slice(USER.length) } : { type: 'team', id: value };
}
