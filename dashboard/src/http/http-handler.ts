import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MediaStore } from '../media/media-store.js';
import { serveSnapshot } from '../media/snapshot-route.js';
import { secretMatches } from '../secrets.js';
import { serveStatic } from './static-files.js';

export interface HttpDeps {
  webRoot: string;
  /** GeoJSON of the area tree, serialised once at start. */
  areasJson: string;
  cockpitKeyHash: () => string | null;
  health: () => object;
  gateways: () => object;
  /** Event pictures, served at /api/events/:eventId/snapshot. */
  media?: MediaStore;
}

/** Everything the cockpit may load comes from this origin; the CSP makes the browser enforce it. */
const CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
].join('; ');

export function createHttpHandler(deps: HttpDeps) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    const url = req.url ?? '/';
    if (url.startsWith('/socket.io')) return; // handled by Socket.IO
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (url === '/healthz') {
      json(res, 200, deps.health());
      return;
    }
    if (url.startsWith('/api/')) {
      const key = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const hash = deps.cockpitKeyHash();
      if (!key || !hash || !secretMatches(key, hash)) {
        json(res, 401, {
          ok: false,
          error: { code: 'UNAUTHORIZED', message: 'send the cockpit key as a Bearer token' },
        });
        return;
      }
      if (url === '/api/areas') {
        res
          .writeHead(200, {
            'content-type': 'application/geo+json; charset=utf-8',
            'cache-control': 'no-cache',
          })
          .end(deps.areasJson);
        return;
      }
      if (serveSnapshot(url, res, deps.media)) return;
      if (url === '/api/gateways') {
        json(res, 200, { ok: true, gateways: deps.gateways() });
        return;
      }
      json(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: `no API at ${url}` } });
      return;
    }
    res.setHeader('content-security-policy', CSP);
    serveStatic(deps.webRoot, url, res);
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}
