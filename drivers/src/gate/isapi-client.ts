import { type IncomingMessage, request as httpRequest } from 'node:http';
import { FieldFault } from '@linli/contract';
import { DigestSession, parseChallenge } from './digest.js';

export interface IsapiClientOptions {
  host: string;
  port: number;
  username: string;
  password: string;
  /** Connect-and-headers timeout for every request; bodies of plain requests too. */
  timeoutMs: number;
  /** Largest response body read into memory (event search pages, status replies). */
  maxBodyBytes?: number;
}

export interface IsapiResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

const DEFAULT_MAX_BODY = 1 << 20;

/**
 * HTTP to one ISAPI terminal with Digest auth. One session per client: the
 * nonce is reused with a growing count and renewed when the terminal says it
 * is stale. A second 401 right after a fresh challenge means the credentials
 * are wrong, and that is reported as such (code AUTH), never retried in a loop
 * (terminals lock the user out after a few failures).
 */
export class IsapiClient {
  private readonly digest: DigestSession;

  constructor(private readonly o: IsapiClientOptions) {
    this.digest = new DigestSession(o.username, o.password);
  }

  get address(): string {
    return `${this.o.host}:${this.o.port}`;
  }

  /** A request whose whole reply is read (bounded by maxBodyBytes). */
  async request(
    method: string,
    path: string,
    body?: string,
    contentType?: string,
    signal?: AbortSignal,
  ): Promise<IsapiResponse> {
    const res = await this.open(method, path, body, contentType, signal);
    const buf = await readBody(res, this.o.maxBodyBytes ?? DEFAULT_MAX_BODY, this.o.timeoutMs);
    return { status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: buf };
  }

  /**
   * Opens a long-lived response (the alert stream). Resolves once the status
   * line and headers are in; the caller owns the body and must destroy it.
   */
  async stream(path: string, signal: AbortSignal): Promise<IncomingMessage> {
    return this.open('GET', path, undefined, undefined, signal);
  }

  private async open(
    method: string,
    path: string,
    body: string | undefined,
    contentType: string | undefined,
    signal?: AbortSignal,
  ): Promise<IncomingMessage> {
    // True once we have answered a challenge the terminal has just issued: a
    // plain (not stale) refusal after that means the password is wrong.
    let answeredFresh = false;
    for (let attempt = 0; attempt < 3; attempt++) {
      const auth = this.digest.authorize(method, path);
      const res = await this.send(method, path, body, contentType, auth, signal);
      if (res.statusCode !== 401) return res;
      const www: string[] = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2)
        if (res.rawHeaders[i]!.toLowerCase() === 'www-authenticate') www.push(res.rawHeaders[i + 1]!);
      // The body only adds detail to the error below; a cut-off body still leaves the status and challenge.
      const text = (await readBody(res, 4096, this.o.timeoutMs).catch(() => Buffer.alloc(0))).toString('utf8');
      const challenge = parseChallenge(www);
      if (!challenge)
        throw new FieldFault(
          'AUTH',
          `gate terminal ${this.address} refused the request (HTTP 401) without a usable Digest challenge`,
        );
      if (auth && answeredFresh && !challenge.stale) throw authError(this.address, text);
      this.digest.accept(challenge);
      answeredFresh = true;
    }
    throw new FieldFault('AUTH', `gate terminal ${this.address} keeps answering 401 (stale nonces); giving up`);
  }

  private send(
    method: string,
    path: string,
    body: string | undefined,
    contentType: string | undefined,
    auth: string | null,
    signal?: AbortSignal,
  ): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { Accept: 'application/json, application/xml, */*' };
      if (auth) headers.Authorization = auth;
      if (body !== undefined) {
        headers['Content-Type'] = contentType ?? 'application/xml';
        headers['Content-Length'] = String(Buffer.byteLength(body));
      }
      const req = httpRequest({
        host: this.o.host,
        port: this.o.port,
        method,
        path,
        headers,
        agent: false,
        ...(signal ? { signal } : {}),
      });
      const timer = setTimeout(
        () =>
          req.destroy(
            new FieldFault('TIMEOUT', `gate terminal ${this.address} did not answer within ${this.o.timeoutMs} ms`),
          ),
        this.o.timeoutMs,
      );
      req.once('response', (res) => {
        clearTimeout(timer);
        resolve(res);
      });
      req.once('error', (err) => {
        clearTimeout(timer);
        reject(transportError(this.address, err));
      });
      req.end(body);
    });
  }
}

function authError(address: string, body: string): FieldFault {
  const locked = /lock/i.test(body);
  return new FieldFault(
    'AUTH',
    locked
      ? `gate terminal ${address} has locked the user after failed logins; check username/password, then wait for the lock to expire`
      : `gate terminal ${address} refused the credentials (HTTP 401): wrong username or password`,
  );
}

function transportError(address: string, err: unknown): FieldFault {
  if (err instanceof FieldFault) return err;
  const e = err as NodeJS.ErrnoException;
  if (e.name === 'AbortError') return new FieldFault('ABORTED', `request to gate terminal ${address} was cancelled`);
  const code = e.code ?? e.message;
  return new FieldFault('UNREACHABLE', `gate terminal ${address} unreachable (${code})`, { cause: err });
}

/** Reads a whole body, refusing one larger than `max` bytes or slower than `timeoutMs`. */
export function readBody(res: IncomingMessage, max: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      res.destroy();
      reject(new FieldFault('TIMEOUT', `reply body not complete within ${timeoutMs} ms`));
    }, timeoutMs);
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        clearTimeout(timer);
        res.destroy();
        reject(new FieldFault('TOO_LARGE', `reply body larger than ${max} bytes`));
        return;
      }
      chunks.push(c);
    });
    res.once('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    res.once('error', (err) => {
      clearTimeout(timer);
      reject(new FieldFault('UNREACHABLE', `reply cut off: ${err.message}`));
    });
    res.once('aborted', () => {
      clearTimeout(timer);
      reject(new FieldFault('UNREACHABLE', 'reply cut off'));
    });
  });
}
