import { cached, el, here } from '../field-api.js';
import { newClientId } from '../ids.js';
import type { Outbox } from '../outbox.js';
import { type Fix, metres, TrackSampler } from '../track-sampler.js';

interface OpenPatrol {
  patrolId: string;
  routeId: string | null;
  checked: string[];
}

const OPEN = 'linli.field.patrol';
const VISIT_OUTCOMES = ['正常', '需跟进', '未遇', '已转办'];
/** Track points are sent in groups (fewer requests, less battery) and on stop. */
const TRACK_GROUP = 10;

const openPatrol = (): OpenPatrol | null => JSON.parse(localStorage.getItem(OPEN) ?? 'null') as OpenPatrol | null;
const saveOpen = (p: OpenPatrol | null) =>
  p ? localStorage.setItem(OPEN, JSON.stringify(p)) : localStorage.removeItem(OPEN);

/** Geolocation while a patrol is open: sampled (track-sampler.ts), queued in groups. */
class Tracker {
  private watch: number | null = null;
  private buffer: Fix[] = [];
  private readonly sampler = new TrackSampler();
  constructor(private readonly outbox: Outbox) {}

  start(patrolId: string): void {
    if (this.watch !== null || !navigator.geolocation) return;
    this.watch = navigator.geolocation.watchPosition(
      (p) => {
        const fix = {
          at: Date.now(),
          lng: p.coords.longitude,
          lat: p.coords.latitude,
          accuracy: Math.round(p.coords.accuracy),
        };
        if (!this.sampler.offer(fix, document.visibilityState === 'hidden')) return;
        this.buffer.push(fix);
        if (this.buffer.length >= TRACK_GROUP) void this.flush(patrolId);
      },
      () => undefined,
      { enableHighAccuracy: true, maximumAge: 15_000 },
    );
  }

  async flush(patrolId: string): Promise<void> {
    const points = this.buffer.splice(0);
    if (points.length) await this.outbox.add({ type: 'patrol.track', patrolId, points });
  }

  async stop(patrolId: string): Promise<void> {
    if (this.watch !== null) navigator.geolocation.clearWatch(this.watch);
    this.watch = null;
    this.sampler.reset();
    await this.flush(patrolId);
  }
}

let tracker: Tracker | null = null;

/** Patrol: start on a route, check in at its points (within the radius), log visits, stop. */
export async function patrolView(host: HTMLElement, outbox: Outbox): Promise<void> {
  tracker ??= new Tracker(outbox);
  const { value } = await cached('/api/field/routes');
  const routes = value?.routes ?? [];
  const open = openPatrol();
  const redraw = () => void patrolView(host, outbox);
  if (!open) {
    const pick = el(
      'select',
      { name: 'route' },
      el('option', { value: '' }, '自由巡查（无路线）'),
      ...routes.map((r) => el('option', { value: r.id }, r.name)),
    );
    host.replaceChildren(
      el(
        'div',
        { class: 'card' },
        el('h2', {}, '巡查'),
        el('label', {}, '路线', pick),
        el(
          'button',
          {
            class: 'primary',
            onclick: async () => {
              const patrolId = newClientId('patrol-');
              const p = await here();
              await outbox.add({
                type: 'patrol.start',
                patrolId,
                ...(pick.value ? { routeId: pick.value } : {}),
                ...(p ? { position: p } : {}),
              });
              saveOpen({ patrolId, routeId: pick.value || null, checked: [] });
              redraw();
            },
          },
          '开始巡查',
        ),
      ),
    );
    return;
  }
  tracker.start(open.patrolId);
  const route = routes.find((r) => r.id === open.routeId);
  const msg = el('p', { class: 'msg', role: 'status' });
  const points = el('ul', { class: 'points' });
  for (const pt of route?.points ?? []) {
    const done = open.checked.includes(pt.id);
    points.append(
      el(
        'li',
        { 'data-point': pt.id },
        el('span', {}, pt.name),
        el(
          'button',
          {
            disabled: done,
            onclick: async () => {
              const p = await here();
              if (!p) return void (msg.textContent = '无法定位：请打开定位后签到');
              const d = Math.round(metres(p, pt));
              await outbox.add({ type: 'patrol.checkin', patrolId: open.patrolId, pointId: pt.id, position: p });
              saveOpen({ ...open, checked: [...open.checked, pt.id] });
              msg.textContent = `已签到"${pt.name}"（距 ${d} 米）`;
              redraw();
            },
          },
          done ? '已签到 ✓' : '签到',
        ),
      ),
    );
  }
  const place = el('input', { name: 'place', placeholder: '户号/场所编号', autocapitalize: 'none' });
  const outcome = el('select', { name: 'outcome' }, ...VISIT_OUTCOMES.map((o) => el('option', { value: o }, o)));
  host.replaceChildren(
    el(
      'div',
      { class: 'card' },
      el('h2', {}, route ? `巡查中 · ${route.name}` : '巡查中'),
      points,
      el('h3', {}, '走访'),
      el('div', { class: 'row' }, place, outcome),
      el(
        'button',
        {
          onclick: async () => {
            if (!/^[a-z0-9][a-z0-9._-]{0,62}$/.test(place.value.trim()))
              return void (msg.textContent = '请填写户号/场所编号（小写字母、数字）');
            await outbox.add({
              type: 'patrol.visit',
              patrolId: open.patrolId,
              placeId: place.value.trim(),
              outcome: outcome.value,
            });
            place.value = '';
            msg.textContent = '走访已记录';
          },
        },
        '记录走访',
      ),
      el(
        'button',
        {
          class: 'danger',
          onclick: async () => {
            await tracker!.stop(open.patrolId);
            const p = await here();
            await outbox.add({ type: 'patrol.stop', patrolId: open.patrolId, ...(p ? { position: p } : {}) });
            saveOpen(null);
            redraw();
          },
        },
        '结束巡查',
      ),
      msg,
    ),
  );
}
