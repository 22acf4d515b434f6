import { type BrowserGetPath, checkReply, type GetReply } from '@linli/contract/browser';

/** The hub's REST API for the phone: session token kept on the phone (it must survive a closed app). */
const TOKEN = 'linli.field.session';

export class FieldApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const session = {
  get: () => localStorage.getItem(TOKEN),
  set: (t: string) => localStorage.setItem(TOKEN, t),
  clear: () => localStorage.removeItem(TOKEN),
};

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = session.get();
  const res = await fetch(path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const reply = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  if (res.status === 401 && path !== '/api/login') {
    session.clear();
    location.reload();
  }
  if (!res.ok)
    throw new FieldApiError(res.status, reply?.error?.code ?? 'HTTP', reply?.error?.message ?? `HTTP ${res.status}`);
  return reply as T;
}

/**
 * A GET whose last good answer is kept, so the app shows something in a dead
 * spot. The reply is checked against the route's contract schema
 * (contract/src/rest/replies.ts), and so is a kept answer before it is shown
 * (one kept by an older app version may no longer fit: it is then dropped).
 */
export async function cached<P extends BrowserGetPath>(
  path: P,
): Promise<{ value: GetReply<P> | null; fresh: boolean }> {
  const key = `linli.field.cache:${path}`;
  try {
    const checked = checkReply(path, await call<unknown>('GET', path));
    if (!checked.ok) {
      console.warn(`reply of GET ${path} does not match its contract schema`, checked.issues);
      throw new FieldApiError(
        200,
        'INVALID_REPLY',
        `接口 ${path} 的应答不符合约定 (the reply does not match its schema)`,
      );
    }
    localStorage.setItem(key, JSON.stringify(checked.value));
    return { value: checked.value, fresh: true };
  } catch (err) {
    if (err instanceof FieldApiError && err.status !== 0 && err.status < 500 && err.status !== 408) throw err;
    const old = localStorage.getItem(key);
    const kept = old ? checkReply(path, JSON.parse(old) as unknown) : null;
    return { value: kept?.ok ? kept.value : null, fresh: false };
  }
}

/** The browser's position (high accuracy, 15 s at most), or null. */
export function here(): Promise<{ lng: number; lat: number; accuracy: number } | null> {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lng: p.coords.longitude, lat: p.coords.latitude, accuracy: Math.round(p.coords.accuracy) }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 10_000 },
    );
  });
}

/** Tiny element builder: tag, attributes/properties, children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, unknown> = {},
  ...children: (Node | string | null | false)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v as EventListener);
    else if (k === 'class') e.className = String(v);
    else if (k.startsWith('data-')) e.setAttribute(k, String(v));
    else (e as unknown as Record<string, unknown>)[k] = v;
  }
  for (const c of children) if (c !== null && c !== false) e.append(c);
  return e;
}
