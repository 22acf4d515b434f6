import { createHash, randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { LinliError } from '@linli/contract';
import { redactUrl } from './redact.js';

export interface HttpSnapshotOptions {
  username?: string;
  password?: string;
  timeoutMs: number;
  maxBytes?: number;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

/**
 * GETs a JPEG from a camera's ONVIF snapshot URI. Cameras ask for HTTP Digest
 * (most) or Basic (some older ones) on this URI even when SOAP uses
 * WS-UsernameToken, so a 401 is answered once with whatever the camera asked for.
 */
export async function fetchHttpSnapshot(uri: string, opts: HttpSnapshotOptions): Promise<Buffer> {
  const deadline = Date.now() + opts.timeoutMs;
  let reply = await get(uri, undefined, deadline, opts);
  if (reply.status === 401 && opts.username) {
    const challenge = String(reply.headers['www-authenticate'] ?? '');
    reply = await get(uri, authorization(challenge, uri, opts.username, opts.password ?? ''), deadline, opts);
    if (reply.status === 401) throw new LinliError('AUTH', `camera refused the credentials for ${redactUrl(uri)}`);
  }
  if (reply.status !== 200)
    throw new LinliError('SNAPSHOT', `snapshot ${redactUrl(uri)} answered HTTP ${reply.status}`);
  const type = String(reply.headers['content-type'] ?? '');
  if (!type.startsWith('image/') || reply.body.length < 4)
    throw new LinliError('SNAPSHOT', `snapshot ${redactUrl(uri)} returned ${type || 'no content type'}, not an image`);
  return reply.body;
}

function authorization(challenge: string, uri: string, username: string, password: string): string {
  if (/^Basic/i.test(challenge)) return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const p = Object.fromEntries(
    [...challenge.replace(/^Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)].map((m) => [
      m[1]!.toLowerCase(),
      m[2] ?? m[3] ?? '',
    ]),
  );
  if (!p.nonce || !p.realm) throw new LinliError('AUTH', 'camera sent an unusable authentication challenge');
  const algo = (p.algorithm ?? 'MD5').toUpperCase() === 'SHA-256' ? 'sha256' : 'md5';
  const h = (s: string) => createHash(algo).update(s).digest('hex');
  const path = new URL(uri).pathname + new URL(uri).search;
  const ha1 = h(`${username}:${p.realm}:${password}`);
  const ha2 = h(`GET:${path}`);
  const qop = p.qop
    ?.split(',')
    .map((s) => s.trim())
    .includes('auth')
    ? 'auth'
    : undefined;
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const response = qop ? h(`${ha1}:${p.nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${p.nonce}:${ha2}`);
  const parts = [
    `username="${username}"`,
    `realm="${p.realm}"`,
    `nonce="${p.nonce}"`,
    `uri="${path}"`,
    `response="${response}"`,
    ...(p.algorithm ? [`algorithm=${p.algorithm}`] : []),
    ...(qop ? [`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`] : []),
    ...(p.opaque ? [`opaque="${p.opaque}"`] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}

function get(uri: string, auth: string | undefined, deadline: number, opts: HttpSnapshotOptions): Promise<Reply> {
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve, reject) => {
    const left = deadline - Date.now();
    if (left <= 0) return reject(new LinliError('TIMEOUT', `snapshot ${redactUrl(uri)} timed out`));
    const u = new URL(uri);
    u.username = '';
    u.password = '';
    const req = request(u, { method: 'GET', headers: auth ? { authorization: auth } : {} }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) req.destroy(new LinliError('SNAPSHOT', `snapshot ${redactUrl(uri)} exceeds ${max} bytes`));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    const timer = setTimeout(
      () => req.destroy(new LinliError('TIMEOUT', `snapshot ${redactUrl(uri)} timed out after ${opts.timeoutMs} ms`)),
      left,
    );
    req.on('close', () => clearTimeout(timer));
    req.on('error', (err) =>
      reject(
        err instanceof LinliError ? err : new LinliError('SNAPSHOT', `snapshot ${redactUrl(uri)}: ${err.message}`),
      ),
    );
    req.end();
  });
}
