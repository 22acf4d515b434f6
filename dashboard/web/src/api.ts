/** The hub's REST API with the session token; a 401 ends the session everywhere at once. */
export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
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

export function createApi(key: string, onUnauthorized: () => void): Api {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const reply = (await res.json().catch(() => null)) as
      ({ ok?: boolean; error?: { code: string; message: string } } & Record<string, unknown>) | null;
    if (res.status === 401) onUnauthorized();
    if (!res.ok || reply?.ok === false)
      throw new ApiFailure(res.status, reply?.error?.code ?? 'HTTP', reply?.error?.message ?? `HTTP ${res.status}`);
    return reply as T;
  };
  const blob = async (path: string): Promise<Blob | null> => {
    const res = await fetch(path, { headers: { authorization: `Bearer ${key}` } });
    if (res.status === 401) onUnauthorized();
    return res.ok ? res.blob() : null;
  };
  return { get: (p) => call('GET', p), post: (p, b) => call('POST', p, b), blob };
}
