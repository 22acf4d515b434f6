/**
 * Content codings for what the hub sends. The cockpit's own files (3-4 MB of
 * scripts and styles) are compressed once, at build time, by
 * scripts/precompress.mjs, and static-files.ts serves the sibling the browser
 * accepts: brotli where it is offered (Chromium offers it to secure contexts:
 * HTTPS, and loopback), gzip otherwise.
 *
 * API replies and tiles still go as they are. Compressing them as they are
 * sent was tried (2026-12-06): the 15,000-grid city's 24-hour heatmap, then
 * 657 KB of JSON degrees, took 7-8 ms to compress at the fastest levels (62 ms
 * at gzip 6) and the reply arrived ~12 ms later over loopback, past its 50 ms
 * goal. The reply has since become whole cell numbers (faster to write and
 * parse); cells sorted and delta-coded would also compress far better, and
 * per-request compression is to be measured again after that.
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
    type === 'application/wasm'
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
