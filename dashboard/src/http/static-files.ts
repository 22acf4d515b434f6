import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { acceptedCodings, compressible } from './compression.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
};

/** The sibling a coding is kept in by the build (scripts/precompress.mjs). */
const SIBLING = { br: '.br', gzip: '.gz' } as const;

/**
 * Serves the built cockpit. Paths are normalised and must stay under `root`;
 * unknown paths without an extension fall back to index.html (client routes like /wall).
 * A text file goes as its compressed sibling when the browser accepts that
 * coding and the sibling is at least as new as the file.
 */
export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): void {
  const urlPath = req.url ?? '/';
  const clean = normalize(decodeURIComponent(urlPath.split('?')[0] ?? '/')).replace(/^(\.\.[/\\])+/, '');
  let file = join(root, clean);
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep) && file !== root) {
    res.writeHead(403).end();
    return;
  }
  let st = statOrNull(file);
  if (st?.isDirectory()) {
    file = join(file, 'index.html');
    st = statOrNull(file);
  }
  if (!st && !extname(clean)) {
    file = join(root, 'index.html');
    st = statOrNull(file);
  }
  if (!st) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
    return;
  }
  const hashed = /[.-][A-Za-z0-9_-]{8,}\.(js|css|woff2?|png|svg)$/.test(file);
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const text = compressible(type);
  const coded = text ? siblingFor(file, st.mtimeMs, req) : null;
  res.writeHead(200, {
    'content-type': type,
    'content-length': coded?.size ?? st.size,
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...(text ? { vary: 'Accept-Encoding' } : {}),
    ...(coded ? { 'content-encoding': coded.coding } : {}),
  });
  createReadStream(coded?.file ?? file).pipe(res);
}

/** The first accepted coding whose sibling exists and is not older than the file. */
function siblingFor(file: string, mtimeMs: number, req: IncomingMessage) {
  for (const coding of acceptedCodings(req.headers['accept-encoding'])) {
    const sibling = file + SIBLING[coding];
    const st = statOrNull(sibling);
    if (st?.isFile() && st.mtimeMs >= mtimeMs) return { coding, file: sibling, size: st.size };
  }
  return null;
}

function statOrNull(file: string) {
  try {
    return statSync(file);
  } catch {
    // No such file (or unreadable): the caller answers 404.
    return null;
  }
}
