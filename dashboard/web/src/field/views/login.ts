import { call, el, FieldApiError, session } from '../field-api.js';

/** Username, password, and the 6-digit code when the role needs one (asked for only then). */
export function loginView(host: HTMLElement, onDone: () => void): void {
  const msg = el('p', { class: 'msg', role: 'alert' });
  const user = el('input', { name: 'username', autocomplete: 'username', autocapitalize: 'none', required: true });
  const pass = el('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const totp = el('input', { name: 'totp', inputMode: 'numeric', autocomplete: 'one-time-code', maxLength: 8 });
  const totpRow = el('label', { class: 'hidden' }, '动态口令', totp);
  const form = el(
    'form',
    {
      class: 'card login',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        msg.textContent = '正在登录…';
        try {
          const r = await call<{ token: string }>('POST', '/api/login', {
            username: user.value.trim(),
            password: pass.value,
            ...(totp.value ? { totp: totp.value.trim() } : {}),
          });
          session.set(r.token);
          onDone();
        } catch (err) {
          if (err instanceof FieldApiError && err.code === 'TOTP_REQUIRED') {
            totpRow.classList.remove('hidden');
            totp.focus();
          }
          msg.textContent = err instanceof Error ? err.message : String(err);
        }
      },
    },
    el('h1', {}, '邻里 · 网格员'),
    el('label', {}, '用户名', user),
    el('label', {}, '密码', pass),
    totpRow,
    el('button', { type: 'submit', class: 'primary' }, '登录'),
    msg,
  );
  host.replaceChildren(form);
}
