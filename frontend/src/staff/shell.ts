/**
 * The installable staff app: the service worker (public/sw.js) keeps the app's shell for when there is no
 * connection, so the app says plainly that it is offline instead of showing the browser's error page. It never
 * stores an API answer: nothing about a visit or a client is kept on the phone.
 */
export function registerShell(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined); // the app works without it
  });
}
