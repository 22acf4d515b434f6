import { can, type Role } from '@linli/contract/browser';
import { type Api, ApiFailure } from '../api.js';
import type { AreaTree } from '../area-tree.js';
import { formatDateTime, KIND_LABEL, t } from '../i18n.js';
import { state } from '../shell.js';
import { isActive, MaintenanceWatch, type WindowView, windowArea } from './maintenance-watch.js';

const STATUS = {
  active: t('维护中', 'under maintenance'),
  scheduled: t('未开始', 'scheduled'),
  pending: t('待审批', 'awaiting approval'),
};

export interface PanelContext {
  api: Api;
  tree: AreaTree;
  /** Null on the wall: no buttons there. */
  role: Role | null;
  /** The user's own area code (only windows inside it may be ended here; the hub checks again). */
  area: string;
  onChanged: () => void;
}

/**
 * The list of maintenance windows: where, what, until when, why, and its
 * state; for people who handle alerts a button to end one early, and for
 * city-level approvers a button to approve a pending one (after entering the
 * authenticator code again, which the hub requires).
 */
export function renderMaintenanceList(host: HTMLElement, windows: readonly WindowView[], ctx: PanelContext): void {
  const now = Date.now();
  host.hidden = windows.length === 0;
  host.dataset.count = String(windows.length);
  const ol = host.querySelector('ol') ?? host.appendChild(document.createElement('ol'));
  ol.replaceChildren(
    ...windows.map((w) => {
      const li = document.createElement('li');
      const phase = w.status === 'pending' ? 'pending' : isActive(w, now) ? 'active' : 'scheduled';
      li.className = `maintenance-row ${phase}`;
      li.dataset.window = w.id;
      li.dataset.phase = phase;
      const what = [w.deviceId, w.kind ? ((KIND_LABEL as Record<string, string>)[w.kind] ?? w.kind) : null]
        .filter(Boolean)
        .join(' · ');
      li.innerHTML = `<span class="badge"></span><span class="where"></span><span class="what"></span><span class="until"></span>`;
      li.querySelector('.badge')!.textContent = STATUS[phase];
      li.querySelector('.where')!.textContent = ctx.tree.name(windowArea(ctx.tree, w));
      li.querySelector('.what')!.textContent = `${what || t('全部设备', 'all devices')} · ${w.reason}`;
      li.querySelector('.until')!.textContent = `${t('至', 'until')} ${formatDateTime(w.endsAt)}`;
      if (ctx.role) addButtons(li, w, { ...ctx, role: ctx.role });
      return li;
    }),
  );
}

function addButtons(li: HTMLElement, w: WindowView, ctx: PanelContext & { role: Role }): void {
  const error = document.createElement('p');
  error.className = 'action-error';
  const act = async (path: string, totp?: string) => {
    error.textContent = '';
    try {
      if (totp) await ctx.api.post('/api/step-up', { totp });
      await ctx.api.post(`/api/maintenance-windows/${w.id}/${path}`, {});
      ctx.onChanged();
    } catch (err) {
      error.textContent = err instanceof ApiFailure ? err.message : String(err);
    }
  };
  const mine = w.areaPrefix.startsWith(
    ctx.area.endsWith('00') && ctx.area.length === 6 ? ctx.area.slice(0, 4) : ctx.area,
  );
  if (can(ctx.role, 'handle_alerts') && mine) {
    const end = document.createElement('button');
    end.type = 'button';
    end.dataset.action = 'end';
    end.textContent = w.status === 'pending' ? t('撤销', 'withdraw') : t('提前结束', 'end now');
    end.addEventListener('click', () => void act('end'));
    li.append(end);
  }
  if (w.status === 'pending' && can(ctx.role, 'approve_maintenance')) {
    const code = document.createElement('input');
    code.name = 'totp';
    code.inputMode = 'numeric';
    code.maxLength = 6;
    code.placeholder = t('动态口令', 'code');
    const approve = document.createElement('button');
    approve.type = 'button';
    approve.dataset.action = 'approve';
    approve.textContent = t('审批通过', 'approve');
    approve.addEventListener('click', () => void act('approve', code.value.trim() || undefined));
    li.append(code, approve);
  }
  li.append(error);
}

/**
 * Starts watching the user's maintenance windows and keeps the list in `host`
 * (a section with an <ol>) current; `onChange` redraws what else shows them
 * (map badges, the area panel). `state.maintenance` lists the active ones for tests.
 */
export function mountMaintenance(
  host: HTMLElement,
  b: { api: Api; tree: AreaTree; me: { role: string; areaCode: string } },
  withButtons: boolean,
  onChange: () => void,
): MaintenanceWatch {
  const ctx: PanelContext = {
    api: b.api,
    tree: b.tree,
    role: withButtons ? (b.me.role as Role) : null,
    area: b.me.areaCode,
    // The watch reloads on its own timer; a failed reload after a change only delays the list.
    onChanged: () => void watch.load().catch(() => undefined),
  };
  const watch = new MaintenanceWatch(b.api, (ws) => {
    renderMaintenanceList(host, ws, ctx);
    state.maintenance = ws.filter((w) => isActive(w, Date.now())).map((w) => w.id);
    onChange();
  });
  watch.start();
  return watch;
}
