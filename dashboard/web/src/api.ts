import { type BrowserGetPath, checkReply, type GetReply } from '@linli/contract/browser';

/** The hub's REST API with the session token; a 401 ends the session everywhere at once. */
export interface Api {
  /**
   * A GET route the cockpit reads, its reply checked against the route's
   * contract schema (contract/src/rest/replies.ts): a reply the schema does not
   * describe is refused (INVALID_REPLY), never drawn half-understood.
   */
  get<P extends BrowserGetPath>(
    path: P,
    query?: Record<string, string | number | boolean>,
    /** Values of the path's `:name` parts. */
    params?: Record<string, string>,
  ): Promise<GetReply<P>>;
  post<T>(path: string, body: unknown): Promise<T>;
  /** DELETE (retiring a patrol route); refused like any call with ApiFailure. */
  del<T>(path: string): Promise<T>;
  /** A binary resource (an event's snapshot); null when the hub has none for this user. */
  blob(path: string): Promise<Blob | null>;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `?a=1&b=x`, or nothing. */
export function queryString(query: Record<string, string | number | boolean> = {}): string {
  const q = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
  return q ? `?${q}` : '';
}

export function createApi(key: string, onUnauthorized: () => void): Api {
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // A reply that is not JSON (a proxy's error page): the HTTP status then says what happened.
    const reply = (await res.json().catch(() => null)) as
      ({ ok?: boolean; error?: { code: string; message: string } } & Record<string, unknown>) | null;
    if (res.status === 401) onUnauthorized();
    if (!res.ok || reply?.ok === false)
      throw new ApiFailure(res.status, reply?.error?.code ?? 'HTTP', reply?.error?.message ?? `HTTP ${res.status}`);
    return reply;
  };
  const get = async <P extends BrowserGetPath>(
    path: P,
    query?: Record<string, string | number | boolean>,
    params: Record<string, string> = {},
  ): Promise<GetReply<P>> => {
    const url = path.replace(/:([a-zA-Z]+)/g, (_m, k: string) => encodeURIComponent(params[k] ?? ''));
    const checked = checkReply(path, await call('GET', url + queryString(query)));
    if (checked.ok) return checked.value;
    console.warn(`reply of GET ${path} does not match its contract schema`, checked.issues);
    throw new ApiFailure(200, 'INVALID_REPLY', `接口 ${path} 的应答不符合约定 (the reply does not match its schema)`);
  };
  const blob = async (path: string): Promise<Blob | null> => {
    const res = await fetch(path, { headers: { authorization: `Bearer ${key}` } });
    if (res.status === 401) onUnauthorized();
    return res.ok ? res.blob() : null;
  };
  return {
    get,
    post: async <T>(p: string, b: unknown) => (await call('POST', p, b)) as T,
    del: async <T>(p: string) => (await call('DELETE', p)) as T,
    blob,
  };
}
