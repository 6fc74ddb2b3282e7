/**
 * The service worker of breaking-news alerts (served at /alerts-worker.js, scope /live/): it
 * shows each push as a notification and, on a click, brings the post up, in the reader's
 * open tab of the page if there is one, else in a new window. It caches nothing and handles
 * no fetch, so the pages behave exactly as without it. ADR 0023.
 *
 * The DOM library types the page, not a worker: the few worker types used are declared here.
 */
interface AlertPayload {
  title: string;
  body: string;
  url: string;
  tag: string;
}

interface WindowClientLike {
  url: string;
  focus(): Promise<unknown>;
  navigate(url: string): Promise<unknown>;
}

interface WorkerScope {
  registration: ServiceWorkerRegistration;
  location: Location;
  clients: {
    matchAll(options: {
      type: 'window';
      includeUncontrolled: boolean;
    }): Promise<WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
    claim(): Promise<void>;
  };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'push', listener: (event: PushLikeEvent) => void): void;
  addEventListener(type: 'notificationclick', listener: (event: ClickEvent) => void): void;
  skipWaiting(): Promise<void>;
}

interface ExtendableEvent extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface PushLikeEvent extends ExtendableEvent {
  data: { text(): string } | null;
}
interface ClickEvent extends ExtendableEvent {
  notification: Notification;
}

const scope = self as unknown as WorkerScope;

/** The payload, or null when it is not one of ours (only same-origin post URLs are opened). */
function readPayload(text: string): AlertPayload | null {
  try {
    const value = JSON.parse(text) as Partial<AlertPayload>;
    if (typeof value.title !== 'string' || typeof value.url !== 'string') return null;
    const url = new URL(value.url, scope.location.origin);
    if (url.origin !== scope.location.origin) return null;
    return {
      title: value.title,
      body: typeof value.body === 'string' ? value.body : '',
      url: url.href,
      tag: typeof value.tag === 'string' ? value.tag : url.pathname,
    };
  } catch {
    return null;
  }
}

scope.addEventListener('install', (event) => event.waitUntil(scope.skipWaiting()));
// Taking the open live pages at once lets a click show the post in the reader's own tab;
// the worker handles no fetch, so the pages load as they would without it.
scope.addEventListener('activate', (event) => event.waitUntil(scope.clients.claim()));

scope.addEventListener('push', (event) => {
  const payload = event.data ? readPayload(event.data.text()) : null;
  if (!payload) return;
  event.waitUntil(
    scope.registration.showNotification(payload.title, {
      body: payload.body,
      tag: payload.tag,
      data: { url: payload.url },
    }),
  );
});

/** The live page a post's URL belongs to: /live/{slug}. */
function pageOf(url: string): string {
  return new URL(url).pathname.split('/').slice(0, 3).join('/');
}

scope.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = (event.notification.data as { url?: unknown } | null)?.url;
  if (typeof url !== 'string') return;
  const opening = (async () => {
    const tabs = await scope.clients.matchAll({ type: 'window', includeUncontrolled: true });
    // A tab already on the post's live page shows the post there; otherwise a new window.
    const tab = tabs.find((client) => pageOf(client.url) === pageOf(url));
    if (!tab) return scope.clients.openWindow(url);
    try {
      // Only a tab this worker controls can be navigated; another gets a new window.
      await tab.navigate(url);
    } catch {
      return scope.clients.openWindow(url);
    }
    return tab.focus().catch(() => undefined);
  })();
  event.waitUntil(opening);
});
