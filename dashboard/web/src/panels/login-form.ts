import { t } from '../i18n.js';
import { storeSession } from '../session.js';

/**
 * The hub's login: username, password and, for roles that see personal data,
 * the 6-digit code from an authenticator app. Resolves with a session token.
 * The server decides everything (lockout, second factor); this form only
 * shows what it says.
 */
export function loginForm(): Promise<string> {
  const form = document.createElement('form');
  form.className = 'login';
  form.innerHTML = `
    <h1>${t('邻里 · 智慧社区指挥中心', 'Linli · community command centre')}</h1>
    <label>${t('用户名', 'Username')} <input name="username" autocomplete="username" required minlength="3" maxlength="32" /></label>
    <label>${t('密码', 'Password')} <input name="password" type="password" autocomplete="current-password" required maxlength="256" /></label>
    <label class="totp" hidden>${t('动态口令', 'Authenticator code')} <input name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" /></label>
    <button type="submit">${t('登录', 'Log in')}</button>
    <p class="login-error" role="alert"></p>`;
  document.body.append(form);
  const field = (n: string) => form.querySelector<HTMLInputElement>(`[name=${n}]`)!;
  const error = form.querySelector<HTMLParagraphElement>('.login-error')!;
  return new Promise((resolve) => {
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      error.textContent = '';
      void (async () => {
        const body: Record<string, string> = { username: field('username').value, password: field('password').value };
        if (field('totp').value) body.totp = field('totp').value;
        const res = await fetch('/api/login', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }).catch(() => null);
        // No answer (network down) and a non-JSON answer both end in the generic message below.
        const reply = (await res?.json().catch(() => null)) as
          { ok: true; token: string } | { ok: false; error: { code: string; message: string } } | null;
        if (reply?.ok) {
          storeSession(reply.token);
          form.remove();
          resolve(reply.token);
          return;
        }
        if (reply?.error.code === 'TOTP_REQUIRED' || reply?.error.code === 'TOTP_INVALID') {
          form.querySelector<HTMLLabelElement>('.totp')!.hidden = false;
          field('totp').focus();
        }
        error.textContent = reply ? reply.error.message : '无法连接指挥中心 (hub unreachable)';
      })();
    });
  });
}
