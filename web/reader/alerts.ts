/**
 * "Alert me to breaking news": the reader's opt-in to push alerts for this live page. Shown
 * only when the browser can receive pushes and the server offers them (it answers the
 * page's VAPID key). The subscription goes to the server for this page alone; "Stop alerts"
 * removes it. Nothing is stored but the browser's own subscription. ADR 0023.
 * Bundled on its own (/alerts.js, src/http/reader/push.ts); live.ts loads it where it can work.
 */

const WORKER_URL = '/alerts-worker.js';
const WORKER_SCOPE = '/live/';

function supported(): boolean {
  return (
    'serviceWorker' in navigator &&
    typeof window.PushManager === 'function' &&
    typeof window.Notification === 'function'
  );
}

/** The VAPID public key as the bytes PushManager.subscribe wants. */
function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const text = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

async function send(url: string, method: 'POST' | 'DELETE', body: unknown): Promise<boolean> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
  });
  return response.ok;
}

/** Puts the alert button in its slot under the page's header when alerts can work here. */
async function offerAlerts(alertsUrl: string): Promise<void> {
  if (!supported()) return;
  const slot = document.getElementById('alerts-slot');
  if (!slot) return;
  let publicKey: string;
  try {
    const response = await fetch(alertsUrl, { credentials: 'omit' });
    if (!response.ok) return;
    publicKey = ((await response.json()) as { publicKey: string }).publicKey;
  } catch {
    return;
  }
  const box = document.createElement('p');
  box.className = 'alerts';
  const button = document.createElement('button');
  button.type = 'button';
  button.id = 'alerts-button';
  button.className = 'alerts__button';
  const status = document.createElement('span');
  status.className = 'alerts__status';
  status.setAttribute('role', 'status');
  box.append(button, status);
  slot.append(box);

  let subscribed = false;
  const show = (on: boolean, message = '') => {
    subscribed = on;
    button.textContent = on ? 'Stop breaking news alerts' : 'Alert me to breaking news';
    button.setAttribute('aria-pressed', String(on));
    status.textContent = message;
  };
  // The worker is registered when a reader first asks for alerts, not for every reader.
  const registered = await navigator.serviceWorker.getRegistration(WORKER_SCOPE);
  const existing = await registered?.pushManager.getSubscription();
  // A subscription of this browser is shared by every page: this page's flag is local.
  show(Boolean(existing) && localStorage.getItem(`alerts:${alertsUrl}`) === 'on');

  button.addEventListener('click', () => {
    button.disabled = true;
    void (subscribed ? stop() : start()).finally(() => {
      button.disabled = false;
    });
  });

  async function start() {
    try {
      if ((await Notification.requestPermission()) !== 'granted') {
        show(false, 'Alerts are blocked for this site in your browser.');
        return;
      }
      await navigator.serviceWorker.register(WORKER_URL, { scope: WORKER_SCOPE });
      const ready = await navigator.serviceWorker.ready;
      const subscription =
        (await ready.pushManager.getSubscription()) ??
        (await ready.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(publicKey),
        }));
      if (!(await send(alertsUrl, 'POST', subscription.toJSON()))) throw new Error('refused');
      localStorage.setItem(`alerts:${alertsUrl}`, 'on');
      show(true, 'You will be alerted to breaking news on this page.');
    } catch {
      show(false, 'Alerts could not be turned on. Try again later.');
    }
  }

  async function stop() {
    const registration = await navigator.serviceWorker.getRegistration(WORKER_SCOPE);
    const subscription = await registration?.pushManager.getSubscription();
    if (subscription) await send(alertsUrl, 'DELETE', { endpoint: subscription.endpoint });
    localStorage.removeItem(`alerts:${alertsUrl}`);
    show(false, 'Alerts for this page are off.');
  }
}

const alertsUrl = document.body.dataset.alertsUrl;
if (alertsUrl) void offerAlerts(alertsUrl).catch(() => undefined);
