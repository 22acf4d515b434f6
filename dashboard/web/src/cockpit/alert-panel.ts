import { addWorkerSuggestions, assigneeOf } from './dispatch-suggest.js';
import { can, type Role } from '@linli/contract/browser';
import type { GetReply } from '@linli/contract/browser';
import type { AlertView } from '../alert-store.js';
import { type Api, ApiFailure } from '../api.js';
import type { AreaTree } from '../area-tree.js';
import { formatDateTime, lang, personName, SEVERITY_LABEL, STATE_LABEL, t } from '../i18n.js';

/** One recorded change as people read it: the contract's HistoryViewSchema (contract/src/rest/alerts.ts). */
type HistoryEntry = GetReply<'/api/alerts/:id/history'>['history'][number];

const ACTION_LABEL: Record<string, string> = {
  raise: t('产生', 'raised'),
  dispatch: t('派发', 'dispatch'),
  acknowledge: t('签收', 'acknowledge'),
  resolve: t('办结', 'resolve'),
  suppress: t('屏蔽', 'suppress'),
  unsuppress: t('解除屏蔽', 'unsuppress'),
  escalate: t('升级', 'escalated'),
  source_cleared: t('设备报告已恢复', 'source cleared'),
  en_route: t('出发', 'on the way'),
  arrive: t('到场', 'arrived'),
};

/** The person-made moves of dashboard/src/alerts/state-machine.ts, for which buttons to show; the hub decides. */
const MOVES: Record<string, ('dispatch' | 'acknowledge' | 'resolve')[]> = {
  raised: ['dispatch', 'resolve'],
  dispatched: ['acknowledge', 'dispatch', 'resolve'],
  acknowledged: ['dispatch', 'resolve'],
  suppressed: ['resolve'],
  resolved: [],
};

/** The mark of a life-safety alarm raised inside a maintenance window (never silenced by it). */
export function duringMaintenance(): HTMLElement {
  const s = document.createElement('span');
  s.className = 'during-maintenance';
  s.textContent = t('维护期间', 'during maintenance');
  s.title = t('维护窗口内的生命安全类告警，照常处置', 'Life-safety alarm during maintenance: handle as usual');
  return s;
}

/** The hub's own steps, in English (the hub words them in Chinese: alerts/history-text.ts). */
const SYSTEM_TEXT_EN: Record<string, string> = {
  raise: 'Device alarm: the system raised an alert',
  suppress: 'Alarm inside a maintenance window: suppressed by the system',
  escalate: 'Deadline passed: escalated by the system',
  source_cleared: 'The device reports the condition over; the alert still needs resolving',
};

/** A history line's actor and text in the page's language (a person's own note is shown as written). */
function historyWords(h: HistoryEntry): { who: string; text: string | null } {
  if (lang !== 'en') return { who: h.actorName, text: h.text };
  if (h.actor === 'system') return { who: 'system', text: SYSTEM_TEXT_EN[h.action] ?? h.text };
  return { who: personName(h.actorName), text: h.text };
}

/** Who an alert was dispatched to, in words: the teams the dispatch menu offers are named after their area. */
export function assigneeText(a: AlertView, tree: AreaTree): string {
  if (!a.assignee) return '–';
  const m = /^(grid|property|police)-([0-9]+)$/.exec(a.assignee.id);
  if (a.assignee.type === 'team' && m) {
    const role = {
      grid: t('网格员', 'grid workers'),
      property: t('物业', 'property company'),
      police: t('派出所', 'police station'),
    }[m[1] as 'grid' | 'property' | 'police'];
    return `${tree.name(m[2]!)} ${role}`;
  }
  return `${a.assignee.type === 'team' ? t('队伍', 'team') : t('人员', 'user')} ${a.assignee.id}`;
}

/** The open alerts of the selected area, newest first, as buttons. */
export function renderAlertList(
  ol: HTMLOListElement,
  alerts: readonly AlertView[],
  tree: AreaTree,
  selectedId: string | null,
  onPick: (id: string) => void,
  title: (a: AlertView) => string,
): void {
  const rows = [...alerts].sort((a, b) => b.raisedAt - a.raisedAt).slice(0, 60);
  ol.replaceChildren(
    ...rows.map((a) => {
      const li = document.createElement('li');
      li.className = `alert-row ${a.severity} state-${a.state}${a.id === selectedId ? ' selected' : ''}`;
      li.dataset.alert = a.id;
      li.dataset.state = a.state;
      li.tabIndex = 0;
      li.innerHTML = `<span class="badge"></span><span class="k"></span><span class="where"></span>`;
      li.querySelector('.badge')!.textContent = STATE_LABEL[a.state] ?? a.state;
      li.querySelector('.k')!.textContent = `${title(a)}${a.count > 1 ? ` ×${a.count}` : ''}`;
      if (a.duringWindowId) li.querySelector('.k')!.append(duringMaintenance());
      li.querySelector('.where')!.textContent = `${tree.name(a.gridId)} · ${formatDateTime(a.raisedAt)}`;
      li.addEventListener('click', () => onPick(a.id));
      return li;
    }),
  );
}

/**
 * One alert: what, where, when, its history, and the actions this role may
 * take from its state (the hub checks both again).
 */
export async function renderAlertDetail(
  host: HTMLElement,
  a: AlertView,
  ctx: {
    api: Api;
    role: Role;
    tree: AreaTree;
    title: (a: AlertView) => string;
    onChanged: (a: AlertView) => void;
    onClose: () => void;
  },
): Promise<void> {
  host.hidden = false;
  host.dataset.alert = a.id;
  host.dataset.state = a.state;
  host.innerHTML = `
    <header><h3><span class="title-text"></span></h3><button type="button" class="close" aria-label="${t('关闭', 'close')}">×</button></header>
    <dl>
      <dt>${t('状态', 'State')}</dt><dd class="state"></dd>
      <dt>${t('级别', 'Severity')}</dt><dd class="sev"></dd>
      <dt>${t('位置', 'Where')}</dt><dd class="where"></dd>
      <dt>${t('设备', 'Device')}</dt><dd class="device"></dd>
      <dt>${t('首次', 'First')}</dt><dd class="raised"></dd>
      <dt>${t('处置人', 'Assignee')}</dt><dd class="assignee"></dd>
    </dl>
    <figure class="snapshot" hidden><img alt="${t('现场抓拍', 'Snapshot')}" /><figcaption></figcaption></figure>
    <div class="actions"></div>
    <p class="action-error" role="alert"></p>
    <h4>${t('处置记录', 'History')}</h4>
    <ol class="history"></ol>`;
  const set = (sel: string, text: string) => (host.querySelector(sel)!.textContent = text);
  set('h3 .title-text', ctx.title(a));
  if (a.duringWindowId) host.querySelector('h3')!.append(duringMaintenance());
  set('.state', `${STATE_LABEL[a.state] ?? a.state}${a.level ? ` · ${t('已升级', 'escalated')} ${a.level}` : ''}`);
  set('.sev', (SEVERITY_LABEL as Record<string, string>)[a.severity] ?? a.severity);
  set(
    '.where',
    ctx.tree
      .chain(a.gridId)
      .slice(2)
      .map((c) => ctx.tree.name(c))
      .join(' › '),
  );
  set('.device', `${a.deviceId} @ ${a.gatewayId}`);
  set('.raised', formatDateTime(a.raisedAt));
  set('.assignee', assigneeText(a, ctx.tree));
  host.querySelector<HTMLButtonElement>('.close')!.addEventListener('click', ctx.onClose);

  const actions = host.querySelector<HTMLDivElement>('.actions')!;
  const error = host.querySelector<HTMLParagraphElement>('.action-error')!;
  if (can(ctx.role, 'handle_alerts')) {
    const allowed = MOVES[a.state] ?? [];
    const note = document.createElement('textarea');
    note.name = 'note';
    note.maxLength = 500;
    note.rows = 2;
    note.placeholder = t('处置说明（办结时必填）', 'Note (required to resolve)');
    if (allowed.length) actions.append(note);
    const team = document.createElement('select');
    team.name = 'assignee';
    for (const [id, label] of [
      [`grid-${a.gridId}`, t('本网格网格员', "this grid's workers")],
      [`property-${a.gridId.slice(0, 12)}`, t('社区物业', 'property company')],
      [`police-${a.gridId.slice(0, 9)}`, t('街道派出所', 'police station')],
    ] as const) {
      const o = document.createElement('option');
      o.value = id;
      o.textContent = label;
      team.append(o);
    }
    if (allowed.includes('dispatch')) {
      actions.append(team);
      void addWorkerSuggestions(team, ctx.api, a.id);
    }
    for (const action of allowed) {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.action = action;
      b.textContent = ACTION_LABEL[action]!;
      b.addEventListener('click', () => {
        error.textContent = '';
        const text = note.value.trim();
        if (action === 'resolve' && !text) {
          error.textContent = t('办结需填写处置说明', 'A note is required to resolve');
          note.focus();
          return;
        }
        const body =
          action === 'dispatch'
            ? { assignee: assigneeOf(team.value), ...(text ? { note: text } : {}) }
            : text
              ? { note: text }
              : {};
        for (const x of actions.querySelectorAll('button')) x.disabled = true;
        ctx.api
          .post<{ alert: AlertView }>(`/api/alerts/${a.id}/${action}`, body)
          .then((r) => ctx.onChanged(r.alert))
          .catch((err: unknown) => {
            error.textContent = err instanceof ApiFailure ? err.message : String(err);
            for (const x of actions.querySelectorAll('button')) x.disabled = false;
          });
      });
      actions.append(b);
    }
  } else {
    actions.textContent = t('您的角色只能查看告警', 'Your role may only view alerts');
  }

  void showSnapshot(host, a, ctx.api);
  const history = await ctx.api
    .get('/api/alerts/:id/history', {}, { id: a.id })
    // History is extra detail: without it the panel still shows the alert and its actions.
    .catch(() => ({ history: [] as HistoryEntry[] }));
  if (host.dataset.alert !== a.id) return;
  host.querySelector('.history')!.replaceChildren(
    ...history.history.map((h) => {
      const li = document.createElement('li');
      const { who, text } = historyWords(h);
      li.textContent = `${formatDateTime(h.at)} ${ACTION_LABEL[h.action] ?? h.action} · ${who}${text ? ` · ${text}` : ''}`;
      return li;
    }),
  );
}

/** One object URL at a time: the previous picture is released when another alert is opened. */
let snapshotUrl: string | null = null;

/** The covering camera's picture of the moment the alarm was raised, if the gateway sent one. */
async function showSnapshot(host: HTMLElement, a: AlertView, api: Api): Promise<void> {
  // No picture (none taken, or not visible to this user): the panel shows none.
  const pic = await api.blob(`/api/events/${a.firstEventId}/snapshot`).catch(() => null);
  if (!pic || host.dataset.alert !== a.id) return;
  if (snapshotUrl) URL.revokeObjectURL(snapshotUrl);
  snapshotUrl = URL.createObjectURL(pic);
  const fig = host.querySelector<HTMLElement>('.snapshot')!;
  fig.querySelector('img')!.src = snapshotUrl;
  fig.querySelector('figcaption')!.textContent = t(
    '告警时刻的现场抓拍（已按隐私遮挡处理）',
    'Snapshot at the alarm (privacy masks applied)',
  );
  fig.hidden = false;
}
