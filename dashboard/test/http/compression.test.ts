import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptedCodings, COMPRESS_MIN_BYTES, compressible, sendReply } from '../../src/http/compression.js';
import { serveStatic } from '../../src/http/static-files.js';
import { curlDecoded, get } from './http-peers.js';

const run = promisify(execFile);

let server: Server | null = null;

afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('Accept-Encoding', () => {
  it('prefers brotli, honours q-values and q=0, and lets * stand for the codings not named', () => {
    expect(acceptedCodings('gzip, deflate, br, zstd')).toEqual(['br', 'gzip']);
    expect(acceptedCodings('gzip, deflate')).toEqual(['gzip']);
    expect(acceptedCodings('br;q=0.5, gzip;q=0.8')).toEqual(['gzip', 'br']);
    expect(acceptedCodings('br;q=0, gzip')).toEqual(['gzip']);
    expect(acceptedCodings('*;q=0.3, br;q=0')).toEqual(['gzip']);
    expect(acceptedCodings('identity')).toEqual([]);
    expect(acceptedCodings(undefined)).toEqual([]);
    expect(acceptedCodings('GZIP ; Q=1')).toEqual(['gzip']);
    expect(acceptedCodings('gzip;q=nonsense')).toEqual([]);
  });

  it('compresses text, scripts, JSON and SVG, not pictures or fonts', () => {
    expect(compressible('application/json; charset=utf-8')).toBe(true);
    expect(compressible('image/svg+xml')).toBe(true);
    expect(compressible('text/javascript; charset=utf-8')).toBe(true);
    expect(compressible('application/manifest+json')).toBe(true);
    expect(compressible('image/jpeg')).toBe(false);
    expect(compressible('font/woff2')).toBe(false);
    expect(compressible('application/vnd.mapbox-vector-tile')).toBe(true);
    expect(compressible(undefined)).toBe(false);
  });
});

describe('static files and their compressed siblings', () => {
  it('serves the newest accepted sibling the build wrote, and the file itself when a sibling is missing or stale', async () => {
    const root = mkdtempSync(join(tmpdir(), 'linli-static-'));
    mkdirSync(join(root, 'assets'));
    const script = `export const names = ${JSON.stringify(Array.from({ length: 3000 }, (_, i) => `网格${i}`))};\n`;
    writeFileSync(join(root, 'assets', 'app-abcdefgh.js'), script);
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>邻里</title>');
    const precompress = join(import.meta.dirname, '..', '..', '..', 'scripts', 'precompress.mjs');
    const built = await run(process.execPath, [precompress, root]);
    expect(built.stdout).toMatch(/^2 compressed siblings written/);
    const base = await serve((req, res) => serveStatic(root, req, res));
    const url = `${base}/assets/app-abcdefgh.js`;

    const br = await get(url, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.body.equals(readFileSync(join(root, 'assets', 'app-abcdefgh.js.br')))).toBe(true);
    expect(brotliDecompressSync(br.body).toString()).toBe(script);
    const gz = await get(url, 'gzip, deflate');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);
    expect(gz.body.length).toBeLessThan(script.length / 3);
    for (const coding of ['gzip', 'br'] as const) {
      const peer = await curlDecoded(url, coding);
      expect(peer.encoding).toBe(coding);
      expect(peer.body).toBe(script);
    }
    const plain = await get(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
    expect(plain.headers.vary).toBe('Accept-Encoding');
    // index.html is below the size worth a sibling: it goes as it is.
    expect((await get(`${base}/`, 'br')).headers['content-encoding']).toBeUndefined();

    // A script rebuilt after its siblings: they are stale, so the new script goes as it is until the build redoes them.
    const newer = script.replace('网格', '社区');
    writeFileSync(join(root, 'assets', 'app-abcdefgh.js'), newer);
    const later = new Date(Date.now() + 5000);
    utimesSync(join(root, 'assets', 'app-abcdefgh.js'), later, later);
    const stale = await get(url, 'br');
    expect(stale.headers['content-encoding']).toBeUndefined();
    expect(stale.body.toString()).toBe(newer);
  });
});

describe('replies compressed as they are sent', () => {
  /** A tile-like body: repeated names and small varints, as vector tiles are. */
  const tile = Buffer.concat(
    Array.from({ length: 900 }, (_, i) => Buffer.from([0x0a, 0x05, ...Buffer.from(`网格${i % 40}`), 0x12, i % 128])),
  );

  it('codes a large reply the caller accepts, and sends the rest as they are, each saying it varies', async () => {
    expect(tile.length).toBeGreaterThan(COMPRESS_MIN_BYTES);
    const small = tile.subarray(0, COMPRESS_MIN_BYTES - 1);
    const type = { 'content-type': 'application/vnd.mapbox-vector-tile' };
    const base = await serve((req, res) => {
      const [path, q] = (req.url ?? '').split('?');
      const body = path === '/small' ? small : tile;
      const headers = path === '/jpeg' ? { 'content-type': 'image/jpeg' } : type;
      const status = path === '/missing' ? 404 : 200;
      void sendReply(req, res, status, headers, body, q !== 'compress=false');
    });

    const br = await get(`${base}/tile`, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(brotliDecompressSync(br.body).equals(tile)).toBe(true);
    expect(br.body.length).toBeLessThan(tile.length / 3);
    const gz = await get(`${base}/tile`, 'gzip, deflate');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(tile)).toBe(true);

    const plain = await get(`${base}/tile`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.body.equals(tile)).toBe(true);
    const small1 = await get(`${base}/small`, 'br');
    expect(small1.headers['content-encoding']).toBeUndefined();
    expect(small1.body.equals(small)).toBe(true);
    // Pictures are compressed already; a refusal or an opted-out route goes as it is and says nothing of codings.
    for (const path of ['/jpeg', '/missing', '/tile?compress=false']) {
      const r = await get(`${base}${path}`, 'br, gzip');
      expect(r.headers['content-encoding'], path).toBeUndefined();
      expect(r.headers.vary, path).toBeUndefined();
      expect(r.body.equals(tile), path).toBe(true);
    }
  });
});
