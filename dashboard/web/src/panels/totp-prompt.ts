/**
 * Asks for the authenticator's 6-digit code before the hub shows a record in
 * full (step-up). Resolves with the code, or null when the person cancels.
 * `problem` is the hub's message about the previous attempt (wrong or reused code).
 */
export function askTotp(problem: string | null): Promise<string | null> {
  const form = document.createElement('form');
  form.className = 'login step-up';
  form.innerHTML = `
    <h1>请再次验证身份</h1>
    <p>查看明文个人信息前，请输入身份验证器中的 6 位动态口令（每小时最多 5 条，均记入审计日志）。</p>
    <label>动态口令 <input name="totp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required /></label>
    <button type="submit">确认</button>
    <button type="button" class="cancel">取消</button>
    <p class="login-error" role="alert"></p>`;
  form.querySelector<HTMLParagraphElement>('.login-error')!.textContent = problem ?? '';
  document.body.append(form);
  const input = form.querySelector<HTMLInputElement>('[name=totp]')!;
  input.focus();
  return new Promise((resolve) => {
    const done = (v: string | null) => {
      form.remove();
      resolve(v);
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      done(input.value);
    });
    form.querySelector('.cancel')!.addEventListener('click', () => done(null));
  });
}
