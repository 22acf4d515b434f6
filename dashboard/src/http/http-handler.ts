import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiRouter } from '../api/router.js';
import { serveStatic } from './static-files.js';

export interface HttpDeps {
  webRoot: string;
  api: ApiRouter;
  health: () => object;
  /** The offline basemap (basemap-route.ts); served without auth: it holds no personal data. */
  basemap?: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * Everything the cockpit may load or connect to comes from this origin; the CSP
 * makes the browser enforce it. `connect-src 'self'` also covers the Socket.IO
 * WebSocket to this host (CSP Level 3 lets 'self' match ws:/wss: of the same
 * host; checked in real Chromium by dashboard/test/insider/csp.slow.test.ts), so a
 * script injected into the page cannot open a socket to anywhere else.
 * `frame-ancestors 'none'` (and X-Frame-Options for older browsers): no other
 * page may frame the cockpit to trick a signed-in operator into clicking.
 */
export const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export function createHttpHandler(deps: HttpDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-frame-options', 'DENY');
    const url = req.url ?? '/';
    if (url.startsWith('/socket.io')) return; // handled by Socket.IO
    if (url.startsWith('/api/')) {
      void deps.api.handle(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url === '/healthz') {
      json(res, 200, deps.health());
      return;
    }
    if (url.startsWith('/basemap/') && deps.basemap) return deps.basemap(req, res);
    res.setHeader('content-security-policy', CSP);
    serveStatic(deps.webRoot, req, res);
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
