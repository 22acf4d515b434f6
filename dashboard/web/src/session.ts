const STORAGE_KEY = 'linli.session';

/**
 * The session token: from the login form, or once in a wall display's link
 * fragment (never sent to the server in a URL, never in its logs); kept for
 * this browser tab only.
 */
export function cockpitKey(): string | null {
  const m = /(?:^#|&)key=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (m?.[1]) {
    storeSession(m[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return m[1];
  }
  return sessionStorage.getItem(STORAGE_KEY);
}

export function storeSession(token: string): void {
  sessionStorage.setItem(STORAGE_KEY, token);
}

export function forgetSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
