import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * Content codings for what the hub sends. The cockpit's own files (3-4 MB of
 * scripts and styles) are compressed once, at build time, by
 * scripts/precompress.mjs, and static-files.ts serves the sibling the browser
 * accepts: brotli where it is offered (Chromium offers it to secure contexts:
 * HTTPS, and loopback), gzip otherwise.
 *
 * API replies and tiles of 8 KiB or more are compressed as they are sent
 * (sendReply), at the fastest levels, off the event loop (zlib's thread pool).
 * Measured on replies of the same shapes built from the 15,000-grid city
 * (2026-12-06, this 2-core machine): an area tree of 3.0 MB became 474 KB in
 * 7.5 ms (brotli 1) or 535 KB in 12.6 ms (gzip 1); population counts of
 * 3.4 MB became 340 KB in 5 ms. Higher levels cost 2-7× the time: the tree
 * at brotli 5, 411 KB in 50 ms; the counts (very repetitive) at brotli 5,
 * 146 KB in 19 ms. At 20 Mbit/s the tree goes in 0.2 s instead of 1.2 s; on a
 * 100 Mbit/s office network, in 38 ms instead of 240. Over loopback the
 * milliseconds are spent for nothing; a route may opt out (Route.compress),
 * and none does: the heatmap, with its 50 ms goal, met it compressed
 * (docs/scale.md).
 */

export type Coding = 'br' | 'gzip';

/** Media types worth compressing (text, scripts, JSON, SVG, WebAssembly); pictures and fonts are compressed already. */
export function compressible(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/javascript' ||
    type === 'image/svg+xml' ||
    type === 'application/wasm' ||
    // Protocol buffers with string tables and zig-zag integers: vector tiles are served gzipped by convention.
    type === 'application/vnd.mapbox-vector-tile'
  );
}

/**
 * The codings the request's Accept-Encoding allows (RFC 9110 §12.5.3), best
 * first: by q-value, brotli before gzip on a tie; a coding with q=0 is
 * refused, and `*` stands for any coding not named. Empty: send as it is.
 */
export function acceptedCodings(header: string | string[] | undefined): Coding[] {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  const q = new Map<string, number>();
  for (const part of value.split(',')) {
    const [name, ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    if (!name) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const weight = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weight = (c: Coding) => q.get(c) ?? q.get('*') ?? 0;
  return (['br', 'gzip'] as const).filter((c) => weight(c) > 0).sort((a, b) => weight(b) - weight(a));
}

/** Replies smaller than this go as they are: a packet or two, where coding costs more than it saves. */
export const COMPRESS_MIN_BYTES = 8 * 1024;

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** One reply's body in a coding, at the fastest level (see above for why not a higher one). */
export function compressBody(coding: Coding, body: Buffer): Promise<Buffer> {
  return coding === 'br'
    ? brotliAsync(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 1, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      })
    : gzipAsync(body, { level: 1 });
}

/**
 * Writes a reply, compressed when it may be (`compress`), is a 200 of a
 * compressible type and at least COMPRESS_MIN_BYTES, and the request accepts
 * brotli or gzip. Such a reply always says `Vary: Accept-Encoding`, so a cache
 * between never hands the compressed body to a client that did not ask for it.
 */
export async function sendReply(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  body: string | Buffer | undefined,
  compress: boolean,
): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const eligible =
    compress && status === 200 && bytes !== undefined && compressible(headers['content-type'] as string | undefined);
  const coding =
    eligible && bytes.length >= COMPRESS_MIN_BYTES ? acceptedCodings(req.headers['accept-encoding'])[0] : undefined;
  const vary = eligible ? { vary: 'Accept-Encoding' } : {};
  if (!coding || !bytes) {
    res.writeHead(status, { ...headers, ...vary }).end(bytes);
    return;
  }
  const coded = await compressBody(coding, bytes);
  res.writeHead(status, { ...headers, ...vary, 'content-encoding': coding, 'content-length': coded.length }).end(coded);
}
