import { execFile } from 'node:child_process';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A raw GET (node:http, which never decodes): the status, headers and the bytes as they crossed the wire. */
export function get(url: string, acceptEncoding?: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
    const all = acceptEncoding === undefined ? headers : { ...headers, 'accept-encoding': acceptEncoding };
    httpGet(url, { headers: all }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

/** curl (Debian's, with its own zlib and brotli) as the independent peer: asks for a coding and decodes the reply. */
export async function curlDecoded(
  url: string,
  coding: 'br' | 'gzip',
  headers: string[] = [],
): Promise<{ body: string; encoding: string }> {
  const { stdout } = await run('curl', [
    '-s',
    '--max-time',
    '10',
    ...headers.flatMap((h) => ['-H', h]),
    '-H',
    `accept-encoding: ${coding}`,
    '--compressed',
    '-w',
    '\n%header{content-encoding}',
    url,
  ]).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('curl is needed for this test: apt-get install curl');
    throw err;
  });
  const cut = stdout.lastIndexOf('\n');
  return { body: stdout.slice(0, cut), encoding: stdout.slice(cut + 1) };
}
