import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CheckResult } from '../cli/device-checks.js';
import { checkPassword } from '../flows/password.js';
import type { LoginLimiter } from '../flows/login-limiter.js';
import type { Logger } from '../log.js';
import { APP_CSS, APP_JS } from './assets.js';
import { fontCss, fontFile } from './fonts.js';
import { CLEAR_COOKIE, cookieToken, type Session, Sessions, sessionCookie } from './session.js';
import { type LocalState, renderApp, renderLogin, type TestVerdict } from './view.js';

export const LOCAL_PATH = '/local';
const MAX_BODY = 4096;
const MAX_PASSWORD = 200;
/** Device tests open their own connection to the device; a few at once is plenty on a small gateway. */
const MAX_RUNNING_TESTS = 4;

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self'; connect-src 'self'; img-src 'self'; " +
  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const SECURITY = {
  'content-security-policy': CSP,
  'x-content-type-options': 'nosniff',
  // Not no-referrer: with it Chromium sends `Origin: null` on form posts, which the CSRF check then refuses.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

export interface LocalPageOptions {
  hash: string;
  /** Shared with the editor and the status page: wrong passwords anywhere count together. */
  limiter: LoginLimiter;
  log: Logger;
  gatewayId: string;
  state: () => Promise<LocalState>;
  /** Runs the installer's check on one configured device; undefined when no such device is configured. */
  test: (deviceId: string) => Promise<CheckResult> | undefined;
  sessions?: Sessions;
}

/**
 * The gateway's local web page for installers and on-site staff, on the
 * gateway's own port: a login form (the installer password from
 * `flows set-password`), then status, devices with live values, recent
 * events, a one-click device test and the editor link.
 *
 * A form and a session cookie rather than HTTP Basic: phones remember Basic
 * credentials until the browser closes and cannot log out. The cookie is
 * HttpOnly, SameSite=Strict, path /local, 15 min idle; every POST must also
 * come from this origin (Origin header, or Sec-Fetch-Site when a browser
 * leaves Origin out), which with SameSite=Strict stops cross-site requests.
 */
export function localRoute(o: LocalPageOptions) {
  const sessions = o.sessions ?? new Sessions();
  const running = new Set<string>();

  const send = (
    res: ServerResponse,
    status: number,
    type: string,
    body: string | Buffer,
    extra: Record<string, string> = {},
  ): void =>
    void res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...SECURITY, ...extra }).end(body);
  const html = (res: ServerResponse, status: number, body: string, extra?: Record<string, string>) =>
    send(res, status, 'text/html; charset=utf-8', body, extra);
  const json = (res: ServerResponse, status: number, body: unknown) =>
    send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
  const redirect = (res: ServerResponse, to: string, extra: Record<string, string> = {}): void =>
    void res.writeHead(303, { location: to, 'cache-control': 'no-store', ...extra }).end();
  const fail = (res: ServerResponse, err: unknown) => {
    o.log.error({ err: String(err) }, 'local page failed');
    if (!res.headersSent) json(res, 500, { error: '内部错误 internal error' });
  };

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const client = req.socket.remoteAddress ?? 'unknown';
    const wait = o.limiter.retryAfter(client);
    if (wait > 0)
      return html(
        res,
        429,
        renderLogin(
          o.gatewayId,
          `密码错误次数过多，请 ${Math.ceil(wait / 1000)} 秒后再试 · Too many wrong passwords, wait ${Math.ceil(wait / 1000)} s`,
        ),
        { 'retry-after': String(Math.ceil(wait / 1000)) },
      );
    const form = await readForm(req);
    if (typeof form === 'string') return html(res, 400, renderLogin(o.gatewayId, form));
    const password = form.get('password') ?? '';
    if (!password || password.length > MAX_PASSWORD)
      return html(res, 400, renderLogin(o.gatewayId, '请输入密码 Enter the password'));
    if (!(await checkPassword(password, o.hash))) {
      o.limiter.failed(client);
      o.log.warn({ client }, 'local page login failed');
      return html(res, 401, renderLogin(o.gatewayId, '密码错误 Wrong password'));
    }
    o.limiter.succeeded(client);
    o.log.info({ client }, 'local page login');
    redirect(res, `${LOCAL_PATH}/`, { 'set-cookie': sessionCookie(sessions.create()) });
  }

  async function test(req: IncomingMessage, res: ServerResponse, session: Session): Promise<void> {
    const wantsJson = (req.headers.accept ?? '').includes('application/json');
    const form = await readForm(req);
    if (typeof form === 'string') return json(res, 400, { error: form });
    const id = form.get('device') ?? '';
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) return json(res, 400, { error: '设备编号无效 invalid device id' });
    if (running.has(id)) return json(res, 409, { error: '该设备正在测试 a test of this device is running' });
    if (running.size >= MAX_RUNNING_TESTS) return json(res, 429, { error: '测试太多，请稍候 too many tests, wait' });
    running.add(id);
    let r: CheckResult | undefined;
    try {
      const pending = o.test(id);
      if (!pending) return json(res, 404, { error: '没有这个设备 no such device' });
      r = await pending;
    } finally {
      running.delete(id);
    }
    const verdict: TestVerdict = { id: r.id, ok: r.ok, detail: r.detail, fix: r.fix, at: Date.now() };
    o.log.info({ device: id, ok: r.ok }, 'device test from the local page');
    if (wantsJson) return json(res, 200, verdict);
    session.lastTest = verdict;
    redirect(res, `${LOCAL_PATH}/`);
  }

  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/' && req.method === 'GET') return (redirect(res, `${LOCAL_PATH}/`), true);
    if (path !== LOCAL_PATH && !path.startsWith(`${LOCAL_PATH}/`)) return false;
    const sub = path.slice(LOCAL_PATH.length);
    const method = req.method ?? 'GET';
    // Assets hold no data: served to anyone, so the login form is styled too.
    if (method === 'GET' && sub === '/app.css') return (send(res, 200, 'text/css; charset=utf-8', APP_CSS), true);
    if (method === 'GET' && sub === '/app.js') return (send(res, 200, 'text/javascript; charset=utf-8', APP_JS), true);
    if (method === 'GET' && sub === '/fonts.css')
      return (send(res, 200, 'text/css; charset=utf-8', fontCss(`${LOCAL_PATH}/fonts`)), true);
    if (method === 'GET' && sub.startsWith('/fonts/')) {
      const font = fontFile(sub.slice('/fonts/'.length));
      if (!font) return (send(res, 404, 'text/plain; charset=utf-8', 'not found'), true);
      return (send(res, 200, 'font/woff2', font, { 'cache-control': 'public, max-age=31536000, immutable' }), true);
    }
    if (method === 'GET' && sub === '') return (redirect(res, `${LOCAL_PATH}/`), true);
    if (method === 'POST' && !sameOrigin(req)) {
      o.log.warn(
        { client: req.socket.remoteAddress, origin: req.headers.origin },
        'local page: cross-origin POST refused',
      );
      return (json(res, 403, { error: '来源不符 cross-origin request refused' }), true);
    }
    if (method === 'POST' && sub === '/login') return (login(req, res).catch((e) => fail(res, e)), true);
    const token = cookieToken(req.headers.cookie);
    const session = sessions.get(token);
    if (method === 'POST' && sub === '/logout') {
      sessions.end(token);
      return (redirect(res, `${LOCAL_PATH}/`, { 'set-cookie': CLEAR_COOKIE }), true);
    }
    if (method === 'GET' && sub === '/') {
      if (!session) return (html(res, 200, renderLogin(o.gatewayId)), true);
      const shown = session.lastTest;
      session.lastTest = undefined;
      o.state()
        .then((s) => html(res, 200, renderApp(s, shown)))
        .catch((e) => fail(res, e));
      return true;
    }
    if (!session) return (json(res, 401, { error: '需要登录 login required' }), true);
    if (method === 'GET' && sub === '/state') {
      o.state()
        .then((s) => json(res, 200, s))
        .catch((e) => fail(res, e));
      return true;
    }
    if (method === 'POST' && sub === '/test') return (test(req, res, session).catch((e) => fail(res, e)), true);
    json(res, 404, { error: '没有这个页面 not found' });
    return true;
  };
}

/**
 * Same-origin POSTs only: the Origin header must name this host; when a
 * browser omits it or sends `null` (privacy settings), Sec-Fetch-Site must
 * say same-origin. Clients sending neither (curl) are refused.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const host = req.headers.host;
  const origin = req.headers.origin;
  if (!host) return false;
  if (origin !== undefined && origin !== 'null') return origin === `http://${host}` || origin === `https://${host}`;
  return req.headers['sec-fetch-site'] === 'same-origin';
}

/** A small urlencoded form body, or the reason it was refused. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | string> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    req.resume();
    return '请求格式不对 expected a form (application/x-www-form-urlencoded)';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_BODY) return '请求太大 request too large';
    chunks.push(c);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
