import { io } from 'socket.io-client';
import './field.css';
import { call, el, session } from './field-api.js';
import { IdbQueueStore } from './idb-store.js';
import { Outbox } from './outbox.js';
import type { ActionResult } from './queue.js';
import { loginView } from './views/login.js';
import { patrolView } from './views/patrol.js';
import { reportView } from './views/report.js';
import { tasksView } from './views/tasks.js';

/**
 * The grid worker's phone app (/field/): my tasks, report a matter, patrol.
 * Every action goes through the offline queue (outbox.ts); tasks arrive live
 * over the hub's /cockpit socket while the app is open.
 */
const root = document.getElementById('field-app')!;
type Tab = 'tasks' | 'report' | 'patrol';

/** The offline shell: the service worker keeps this page and the assets it loaded for dead spots. */
if ('serviceWorker' in navigator) {
  void navigator.serviceWorker.register('/field/sw.js', { scope: '/field/' }).catch(() => undefined);
  void navigator.serviceWorker.ready.then((reg) => {
    const assets = performance
      .getEntriesByType('resource')
      .map((r) => r.name)
      .filter((u) => new URL(u).origin === location.origin && new URL(u).pathname.startsWith('/assets/'));
    const scripts = [...document.querySelectorAll<HTMLScriptElement>('script[src]')].map((x) => x.src);
    const styles = [...document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet],link[rel=modulepreload]')].map(
      (x) => x.href,
    );
    reg.active?.postMessage({ cache: ['/field/', ...scripts, ...styles, ...assets] });
  });
}

async function boot(): Promise<void> {
  if (!session.get()) return loginView(root, () => void boot());
  const store = await IdbQueueStore.open();
  const outbox = new Outbox(await store.load(), store, (deviceId, actions) =>
    call<{ results: ActionResult[] }>('POST', '/api/field/actions', { deviceId, actions }),
  );
  const status = el('div', { class: 'status', role: 'status' });
  const notices = el('ul', { class: 'notices' });
  const main = el('main', {});
  let tab: Tab = 'tasks';
  const show = (t: Tab) => {
    tab = t;
    for (const b of nav.querySelectorAll('button')) b.classList.toggle('on', b.dataset.tab === t);
    void (t === 'tasks'
      ? tasksView(main, outbox)
      : t === 'report'
        ? reportView(main, outbox)
        : patrolView(main, outbox));
  };
  const nav = el(
    'nav',
    {},
    ...(
      [
        ['tasks', '我的任务'],
        ['report', '事项上报'],
        ['patrol', '巡查'],
      ] as const
    ).map(([t, label]) => el('button', { 'data-tab': t, onclick: () => show(t) }, label)),
  );
  const paint = () => {
    const v = outbox.view();
    status.textContent = `${navigator.onLine ? '在线' : '离线'} · 待发送 ${v.waiting} 项${v.sending ? ' · 发送中…' : ''}`;
    status.dataset.waiting = String(v.waiting);
    status.classList.toggle('offline', !navigator.onLine);
    notices.replaceChildren(...v.notices.slice(0, 3).map((n) => el('li', {}, n.message ?? n.code ?? '未受理')));
  };
  outbox.subscribe(paint);
  addEventListener('online', paint);
  addEventListener('offline', paint);
  outbox.whenApplied(() => tab === 'tasks' && show('tasks'));
  root.replaceChildren(status, notices, main, nav);
  show('tasks');
  const socket = io('/cockpit', { auth: { key: session.get(), field: true }, transports: ['websocket'] });
  socket.on('alert', () => tab === 'tasks' && show('tasks'));
  socket.on('connect', () => {
    void outbox.flush();
    if (tab === 'tasks') show('tasks');
  });
}

void boot();
