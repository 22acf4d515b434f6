import type { IncomingMessage, ServerResponse } from 'node:http';
import { can, compile, type ErrorCode, type FaultDomain, LinliError, type Validator } from '@linli/contract';
import { Value } from '@sinclair/typebox/value';
import { sendReply } from '../http/compression.js';
import type { Logger } from '../log.js';
import type { AuditSink } from '../auth/audit-sink.js';
import type { AuthService } from '../auth/auth-service.js';
import { AuthError } from '../auth/auth-service.js';
import { ApiError, forbidden } from './api-error.js';
import { isRaw, type Route } from './route.js';

const DEFAULT_MAX_BODY = 64 * 1024;

interface Compiled {
  route: Route;
  pattern: RegExp;
  keys: string[];
  body?: Validator<unknown>;
  query?: Validator<unknown>;
}

/**
 * The REST API: every route declares who may call it and the schema of what it
 * takes; the router authenticates, checks the permission, limits and validates
 * the body before the handler runs, and answers errors in one shape:
 * `{ ok: false, error: { code, message, issues? } }`. Area scope is enforced
 * again inside each service, so a forgotten check here cannot leak data.
 */
export class ApiRouter {
  private readonly compiled: Compiled[];

  constructor(
    readonly routes: Route[],
    private readonly auth: AuthService,
    private readonly log: Logger,
    private readonly audit: AuditSink,
    /** The real client behind a trusted proxy (http/client-ip.ts); by default the socket's peer. */
    private readonly clientIp: (req: IncomingMessage) => string = (req) => req.socket.remoteAddress ?? '',
  ) {
    this.compiled = routes.map((route) => {
      const keys: string[] = [];
      const src = route.path.replace(/:([a-zA-Z]+)/g, (_m, k: string) => {
        keys.push(k);
        return '([^/]+)';
      });
      return {
        route,
        keys,
        pattern: new RegExp(`^${src}$`),
        body: route.body
          ? (compile(route.body, `${route.method} ${route.path} body`) as Validator<unknown>)
          : undefined,
        query: route.query
          ? (compile(route.query, `${route.method} ${route.path} query`) as Validator<unknown>)
          : undefined,
      };
    });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hub');
    try {
      const match = this.match(req.method ?? 'GET', url.pathname);
      if (!match) throw new ApiError(404, 'NOT_FOUND', `没有这个接口 (no API at ${req.method} ${url.pathname})`);
      const { c, params } = match;
      const now = Date.now();
      const token = /^Bearer ([A-Za-z0-9_-]{16,256})$/.exec(req.headers.authorization ?? '')?.[1];
      const principal = token ? await this.auth.authenticate(token, now) : null;
      if (c.route.access !== 'public') {
        if (!principal)
          throw new ApiError(401, 'UNAUTHORIZED', '请先登录，或会话已过期 (log in; the session is missing or expired)');
        if (c.route.access !== 'session' && !can(principal.user.role, c.route.access)) {
          this.audit.record({
            userId: principal.user.id,
            role: principal.user.role,
            action: `api:${c.route.method} ${c.route.path}`,
            targetType: 'api',
            targetId: c.route.path,
            outcome: 'denied',
            detail: `needs ${c.route.access}`,
          });
          throw forbidden(`执行此操作 (${c.route.access})`);
        }
        // A wall display's long session sits in a URL on a screen: it may look, never act.
        if (principal.session.kind === 'display' && c.route.method !== 'GET')
          throw forbidden('以大屏会话执行操作 (display sessions are read-only; log in as a person)');
      }
      const query = this.parseQuery(c, url.searchParams);
      const body = await this.readBody(c, req);
      const result = await c.route.handler({
        req,
        res,
        params,
        query,
        body,
        principal: principal!,
        ip: this.clientIp(req),
        now,
      });
      const compress = c.route.compress !== false;
      if (isRaw(result)) {
        const r = result.__raw;
        const body = r.json !== undefined ? JSON.stringify(r.json) : r.raw;
        await sendReply(req, res, r.status ?? 200, r.headers ?? {}, body, compress);
        return;
      }
      await sendReply(req, res, 200, JSON_HEADERS, JSON.stringify(result), compress);
    } catch (err) {
      this.fail(res, err, req, url.pathname);
    }
  }

  private match(method: string, path: string): { c: Compiled; params: Record<string, string> } | null {
    let pathMatched = false;
    for (const c of this.compiled) {
      const m = c.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (c.route.method !== method) continue;
      const params: Record<string, string> = {};
      c.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(m[i + 1]!);
      });
      return { c, params };
    }
    if (pathMatched) throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`);
    return null;
  }

  /**
   * Every query value arrives as a string; it becomes a number only where the
   * route's schema declares one (TypeBox's Convert, driven by the schema). Guessing
   * from the text instead turned digit-only strings such as area codes into numbers.
   */
  private parseQuery(c: Compiled, sp: URLSearchParams): Record<string, unknown> {
    const q: Record<string, unknown> = Object.fromEntries(sp);
    if (!c.query || !c.route.query) return q;
    const checked = c.query.check(Value.Convert(c.route.query, q));
    if (!checked.ok)
      throw new ApiError(400, 'INVALID_QUERY', '查询参数无效 (invalid query parameters)', checked.issues);
    return checked.value as Record<string, unknown>;
  }

  private async readBody(c: Compiled, req: IncomingMessage): Promise<unknown> {
    if (req.method === 'GET' || req.method === 'DELETE') return undefined;
    const limit = c.route.maxBodyBytes ?? DEFAULT_MAX_BODY;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) throw tooLarge(limit);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk as Buffer);
    }
    if (!c.body) return Buffer.concat(chunks);
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
      throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', '请求体须为 JSON (send Content-Type: application/json)');
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
    } catch {
      throw new ApiError(400, 'MALFORMED_JSON', '请求体不是有效的 JSON (the body is not valid JSON)');
    }
    const checked = c.body.check(parsed);
    if (!checked.ok) throw new ApiError(400, 'INVALID_BODY', '请求内容无效 (invalid request body)', checked.issues);
    return checked.value;
  }

  private fail(res: ServerResponse, err: unknown, req: IncomingMessage, path: string): void {
    if (res.headersSent) return void res.destroy();
    if (err instanceof ApiError || err instanceof AuthError) {
      const status = err instanceof ApiError ? err.status : err.status;
      if (err.retryAfterMs) res.setHeader('retry-after', String(Math.ceil(err.retryAfterMs / 1000)));
      const issues = err instanceof ApiError ? err.issues?.slice(0, 20) : undefined;
      send(res, status, { ok: false, error: { code: err.code, message: err.message, ...(issues ? { issues } : {}) } });
      return;
    }
    // Services refuse with LinliErrors: FORBIDDEN (already audited by the service) and validation codes.
    if (err instanceof LinliError) {
      // A refusal that carries its own status (and Retry-After), e.g. UnmaskRefused.
      const own = err as { status?: unknown; retryAfterMs?: unknown };
      const status =
        typeof own.status === 'number' ? own.status : (STATUS_OF[err.code] ?? STATUS_OF_DOMAIN[err.domain]);
      if (typeof own.retryAfterMs === 'number')
        res.setHeader('retry-after', String(Math.ceil(own.retryAfterMs / 1000)));
      const issues = (err as { issues?: { field: string; message: string }[] }).issues?.slice(0, 20);
      send(res, status, { ok: false, error: { code: err.code, message: err.message, ...(issues ? { issues } : {}) } });
      return;
    }
    this.log.error({ err: String(err), method: req.method, path }, 'API handler failed');
    send(res, 500, {
      ok: false,
      error: { code: 'INTERNAL', message: '服务器内部错误，已记录 (internal error; it was logged)' },
    });
  }
}

/** HTTP status of the codes services refuse with; any other code gets its fault domain's status. */
const STATUS_OF: Partial<Record<ErrorCode, number>> = {
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALERT_NOT_FOUND: 404,
  ALERT_INVALID_TRANSITION: 409,
  ALERT_CONFLICT: 409,
  MAINTENANCE_NOT_PENDING: 409,
  MAINTENANCE_OVER: 409,
  MAINTENANCE_SELF_APPROVAL: 403,
};

/** A caller's mistake is theirs to fix (400); a device or storage fault is ours to retry (502, 503); a bug is a 500. */
const STATUS_OF_DOMAIN: Record<FaultDomain, number> = {
  input: 400,
  device: 502,
  network: 502,
  storage: 503,
  internal: 500,
};

const tooLarge = (limit: number) =>
  new ApiError(413, 'BODY_TOO_LARGE', `请求体超过 ${limit} 字节 (request body larger than ${limit} bytes)`);

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };

/** Error replies: small, and never compressed. */
function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, JSON_HEADERS).end(JSON.stringify(body));
}
