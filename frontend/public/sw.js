/*
 * The installable staff app's service worker: it keeps the app's offline page, and when opening the staff app
 * finds no connection, it shows that page instead of the browser's error. That is all it does.
 * - It never stores an API answer, a schedule, a visit or anything about a client (health data stays off the
 *   phone): it does not handle any request but opening the staff app itself (/), and that goes to the network.
 * - The call window (/call) and the client's join page (/join) are not its business: they load as if it did not
 *   exist.
 */
const SHELL = 'vv-shell-v1';
const OFFLINE_PAGE = '/offline.html';
const KEPT = [OFFLINE_PAGE, '/offline.css', '/favicon.svg', '/icons/icon-192.png'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(KEPT)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== SHELL).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const staffApp = url.origin === self.location.origin && (url.pathname === '/' || url.pathname === '/index.html');
  if (request.mode === 'navigate' && staffApp) {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_PAGE)));
    return;
  }
  // The offline page's own parts, when the offline page is shown.
  if (request.method === 'GET' && url.origin === self.location.origin && KEPT.includes(url.pathname) && url.pathname !== OFFLINE_PAGE) {
    event.respondWith(fetch(request).catch(() => caches.match(url.pathname)));
  }
});
