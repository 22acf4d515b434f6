// The phone app's offline shell: the page and its assets are served from the
// cache when the network is down; the API never is (the app queues actions in
// IndexedDB and sends them itself, exactly once — docs/field.md).
const CACHE = 'linli-field-v1';

self.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.addAll(['/field/', '/field/manifest.webmanifest', '/field/icon.svg']))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The page names its own assets (hashed by the build) once it is controlled, so they are cached
// even though they were fetched before this worker took over.
self.addEventListener('message', (e) => {
  const urls = Array.isArray(e.data?.cache) ? e.data.cache.filter((u) => typeof u === 'string') : [];
  const same = urls.filter((u) => new URL(u, location.origin).origin === location.origin);
  if (same.length) e.waitUntil(caches.open(CACHE).then((c) => c.addAll(same)));
});

self.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io')) return;
  const shell = url.pathname === '/field' || url.pathname.startsWith('/field/');
  const asset = url.pathname.startsWith('/assets/');
  if (!shell && !asset) return;
  // Network first (a new version reaches the phone at once), the cache when offline.
  e.respondWith(
    fetch(e.request)
      .then((res) => {
        if (res.ok) {
          const copy = res.clone();
          void caches.open(CACHE).then((c) => c.put(e.request, copy));
        }
        return res;
      })
      .catch(() =>
        caches.match(e.request).then((hit) => hit ?? caches.match('/field/').then((h) => h ?? Response.error())),
      ),
  );
});
