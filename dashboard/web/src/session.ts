const STORAGE_KEY = 'linli.cockpitKey';

/**
 * The cockpit key arrives once in the link's fragment (never sent to the
 * server in a URL, never in its logs); it is kept for this browser tab only.
 */
export function cockpitKey(): string | null {
  const m = /(?:^#|&)key=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (m?.[1]) {
    sessionStorage.setItem(STORAGE_KEY, m[1]);
    history.replaceState(null, '', location.pathname + location.search);
    return m[1];
  }
  return sessionStorage.getItem(STORAGE_KEY);
}
