import type { FieldTask } from '@linli/contract';
import { KIND_LABEL } from '../../i18n.js';
import { cached, el, here } from '../field-api.js';
import type { Outbox } from '../outbox.js';
import { resizePhoto } from '../photo.js';
import { gridSvg } from '../grid-svg.js';
import { type FieldGrid, loadGrids } from '../grids.js';

/** A task as /api/field/tasks sends it: the alert, the matter's words if it is one, its photos. */
type Task = FieldTask;

/** Steps done on this phone and not yet seen back from the hub, so the buttons move on while offline. */
const LOCAL = 'linli.field.steps';
const localSteps = (): Record<string, string[]> =>
  JSON.parse(localStorage.getItem(LOCAL) ?? '{}') as Record<string, string[]>;
function markStep(alertId: string, step: string): void {
  const all = localSteps();
  all[alertId] = [...(all[alertId] ?? []), step];
  localStorage.setItem(LOCAL, JSON.stringify(all));
}

const STATE_LABEL: Record<string, string> = {
  dispatched: '待接单',
  acknowledged: '处置中',
  resolved: '已办结',
  raised: '待派发',
  suppressed: '已屏蔽',
};

/** "剩余 12 分" or "超时 3 分" against the alert's next deadline. */
export function slaText(dueAt: number | null, now: number): { text: string; late: boolean } {
  if (dueAt === null) return { text: '', late: false };
  const min = Math.round((dueAt - now) / 60_000);
  return min >= 0 ? { text: `剩余 ${min} 分`, late: false } : { text: `超时 ${-min} 分`, late: true };
}

/** My tasks: the most urgent first, the SLA clock, the camera picture, and one big button for the next step. */
export async function tasksView(host: HTMLElement, outbox: Outbox): Promise<void> {
  const [{ value, fresh }, grids] = await Promise.all([cached('/api/field/tasks'), loadGrids()]);
  const tasks = value?.tasks ?? [];
  const list = el('div', { class: 'list' });
  if (!fresh) list.append(el('p', { class: 'msg' }, '离线：显示上次同步的任务'));
  if (!tasks.length) list.append(el('p', { class: 'empty' }, '暂无任务'));
  const steps = localSteps();
  for (const t of tasks)
    list.append(card(t, steps[t.id] ?? [], grids.get(t.gridId), outbox, () => void tasksView(host, outbox)));
  host.replaceChildren(list);
}

function card(t: Task, done: string[], grid: FieldGrid | undefined, outbox: Outbox, refresh: () => void): HTMLElement {
  const sla = slaText(t.dueAt, Date.now());
  const title = t.matter ? `${t.matter.category}` : (KIND_LABEL[t.kind] ?? t.kind);
  const step = async (type: string, extra: Record<string, unknown> = {}) => {
    await outbox.add({ type, alertId: t.id, ...extra });
    markStep(t.id, type);
    refresh();
  };
  const did = (s: string) => done.includes(s);
  const state = did('task.resolve')
    ? 'resolved'
    : did('task.accept') && t.state === 'dispatched'
      ? 'acknowledged'
      : t.state;
  const buttons = el('div', { class: 'steps' });
  if (state === 'dispatched')
    buttons.append(el('button', { class: 'primary', onclick: () => void step('task.accept') }, '接单'));
  if (state === 'acknowledged') {
    buttons.append(
      el(
        'button',
        { onclick: async () => void step('task.en_route', pos(await here())) },
        did('task.en_route') ? '已出发 ✓' : '出发',
      ),
      el(
        'button',
        {
          onclick: async () => {
            const p = await here();
            if (!p) return alert('无法定位：请打开定位后再确认到场');
            await step('task.arrive', { position: p });
          },
        },
        did('task.arrive') ? '已到场 ✓' : '到场',
      ),
      resolveForm(step),
    );
  }
  const img = el('img', { class: 'snap', alt: '' });
  if (t.gatewayId !== 'field')
    void fetch(`/api/events/${t.firstEventId}/snapshot`, {
      headers: { authorization: `Bearer ${localStorage.getItem('linli.field.session') ?? ''}` },
    })
      .then((r) => (r.ok ? r.blob() : null))
      .then((b) => b && (img.src = URL.createObjectURL(b)))
      .catch(() => undefined);
  return el(
    'article',
    { class: `card task ${t.severity} ${state}`, 'data-alert': t.id, 'data-state': state },
    el('header', {}, el('strong', {}, title), el('span', { class: 'state' }, STATE_LABEL[state] ?? state)),
    t.matter ? el('p', {}, t.matter.description) : null,
    el(
      'p',
      { class: 'meta' },
      `${grid?.name ?? `网格 ${t.gridId.slice(-6)}`} · ${t.lng.toFixed(5)}, ${t.lat.toFixed(5)}` +
        (t.matter?.positionSource === 'pin' ? ' · 地图选点' : ''),
    ),
    grid && state !== 'resolved' ? gridSvg(grid.ring, t, `${grid.name}：任务位置`) : null,
    sla.text && state !== 'resolved' ? el('p', { class: sla.late ? 'sla late' : 'sla' }, sla.text) : null,
    t.level > 0 && state !== 'resolved' ? el('p', { class: 'sla late' }, `已升级 ${t.level} 级`) : null,
    img,
    buttons,
  );
}

const pos = (p: { lng: number; lat: number; accuracy: number } | null) => (p ? { position: p } : {});

function resolveForm(step: (type: string, extra: Record<string, unknown>) => Promise<void>): HTMLElement {
  const note = el('textarea', { name: 'note', placeholder: '处置情况（必填）', maxLength: 500, rows: 3 });
  const photos = el('input', {
    type: 'file',
    accept: 'image/*',
    capture: 'environment',
    multiple: true,
    name: 'photos',
  });
  const msg = el('p', { class: 'msg' });
  return el(
    'form',
    {
      class: 'resolve',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        if (!note.value.trim()) return void (msg.textContent = '请填写处置情况');
        msg.textContent = '正在处理照片…';
        const files = [...(photos.files ?? [])].slice(0, 4);
        const pics = await Promise.all(files.map((f) => resizePhoto(f)));
        await step('task.resolve', { note: note.value.trim(), photos: pics, ...pos(await here()) });
      },
    },
    note,
    el('label', { class: 'file' }, '拍照', photos),
    el('button', { type: 'submit', class: 'primary' }, '办结'),
    msg,
  );
}
