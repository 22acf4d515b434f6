import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.js';
import type { LoginLimiter } from './login-limiter.js';
import { ADMIN_USER, checkPassword } from './password.js';
import { renderStatusPage, type StatusView } from './status-page.js';

export const STATUS_PATH = '/status';

/**
 * Serves the on-site status page behind the editor's password (HTTP Basic,
 * which every phone browser can do without scripts), through the same
 * wrong-password limiter as the editor.
 */
export function statusRoute(o: { hash: string; limiter: LoginLimiter; view: () => StatusView; log: Logger }) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== STATUS_PATH) return false;
    const client = req.socket.remoteAddress ?? 'unknown';
    const wait = o.limiter.retryAfter(client);
    if (wait > 0) {
      res
        .writeHead(429, { 'retry-after': String(Math.ceil(wait / 1000)), 'content-type': 'text/plain; charset=utf-8' })
        .end('密码错误次数过多，请稍后再试 Too many wrong passwords, try again later\n');
      return true;
    }
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(req.headers.authorization ?? '');
    const [user, ...rest] = m ? Buffer.from(m[1]!, 'base64').toString('utf8').split(':') : [];
    const password = rest.join(':');
    const deny = () =>
      res
        .writeHead(401, {
          'www-authenticate': 'Basic realm="Linli gateway", charset="UTF-8"',
          'content-type': 'text/plain; charset=utf-8',
        })
        .end('需要登录 Login required\n');
    if (!m) return (deny(), true);
    void checkPassword(password, o.hash).then((ok) => {
      if (!ok || user !== ADMIN_USER) {
        o.limiter.failed(client);
        o.log.warn({ client }, 'status page login failed');
        return deny();
      }
      o.limiter.succeeded(client);
      res
        .writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        })
        .end(renderStatusPage(o.view()));
    });
    return true;
  };
}
