import { useEffect, useState } from 'preact/hooks';
import { WEBHOOK_KINDS, type WebhookKind } from '../../src/domain/webhook.ts';
import type { DeliveryJson, WebhookJson } from '../../src/services/present.ts';
import { api, type DeskPage } from './api.ts';
import { ErrorNote } from './fields.tsx';

const WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
/** How much of a receiver's answer the table shows (the server keeps 1 KiB). */
const SHOWN_CHARS = 160;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** One endpoint's latest deliveries, with "Send again" on each. */
function Deliveries(props: { webhook: WebhookJson }) {
  const base = `/desk/api/webhooks/${props.webhook.id}`;
  const [deliveries, setDeliveries] = useState<DeliveryJson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const load = () =>
    api<{ deliveries: DeliveryJson[] }>('GET', base)
      .then((r) => setDeliveries(r.deliveries))
      .catch((err: unknown) => setError(message(err)));
  useEffect(() => void load(), []);
  const again = async (delivery: DeliveryJson) => {
    try {
      setError(null);
      await api('POST', `${base}/deliveries/${delivery.id}/redeliver`);
      setNote(`Event ${delivery.eventId} will be sent again.`);
      setTimeout(() => void load(), 1500);
    } catch (err) {
      setError(message(err));
    }
  };
  if (!deliveries) return <p class="muted">{error ?? 'Loading…'}</p>;
  return (
    <div>
      <ErrorNote error={error} />
      <p role="status" class="muted">
        {note}
      </p>
      {deliveries.length === 0 ? (
        <p class="muted">Nothing sent yet.</p>
      ) : (
        <table class="table webhook-deliveries">
          <caption class="visually-hidden">Deliveries to {props.webhook.url}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Try</th>
              <th scope="col">Result</th>
              <th scope="col">Response</th>
              <th scope="col">
                <span class="visually-hidden">Send again</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id} data-outcome={d.outcome}>
                <td>
                  <time dateTime={d.at}>{WHEN.format(new Date(d.at))}</time>
                </td>
                <td>
                  <code>{d.eventType}</code> <span class="muted">{d.eventId}</span>
                </td>
                <td>{d.attempt}</td>
                <td>
                  {d.outcome === 'delivered' ? 'Delivered' : 'Failed'}
                  {d.statusCode !== null ? ` (${d.statusCode})` : ''}
                  {d.error ? <span class="muted"> {d.error}</span> : null}
                  <span class="muted"> in {d.durationMs} ms</span>
                </td>
                <td>
                  <code>
                    {d.responseBody.length > SHOWN_CHARS
                      ? `${d.responseBody.slice(0, SHOWN_CHARS)}…`
                      : d.responseBody}
                  </code>
                </td>
                <td>
                  <button type="button" class="button button--small" onClick={() => void again(d)}>
                    Send again
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** The form that registers an endpoint; the secret it answers with is shown once. */
function NewWebhook(props: { pages: DeskPage[]; onCreated: (secret: string) => void }) {
  const [url, setUrl] = useState('');
  const [pages, setPages] = useState<string[]>([]);
  const [kinds, setKinds] = useState<WebhookKind[]>([]);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      setError(null);
      const made = await api<{ secret: string }>('POST', '/desk/api/webhooks', {
        url,
        pages: pages.length > 0 ? pages : null,
        kinds: kinds.length > 0 ? kinds : null,
      });
      setUrl('');
      props.onCreated(made.secret);
    } catch (err) {
      setError(message(err));
    }
  };
  const toggle = (kind: WebhookKind, on: boolean) =>
    setKinds((chosen) => (on ? [...chosen, kind] : chosen.filter((k) => k !== kind)));
  return (
    <form class="stack" onSubmit={(e) => void submit(e)} aria-label="New webhook">
      <h2>New webhook</h2>
      <label class="field" for="webhook-url">
        <span class="field__label">URL to POST each change to</span>
        <input
          id="webhook-url"
          class="input"
          type="url"
          required
          value={url}
          onInput={(e) => setUrl(e.currentTarget.value)}
        />
      </label>
      <label class="field" for="webhook-pages">
        <span class="field__label">Live pages (none chosen: every page)</span>
        <select
          id="webhook-pages"
          class="input"
          multiple
          onChange={(e) =>
            setPages([...e.currentTarget.selectedOptions].map((option) => option.value))
          }
        >
          {props.pages.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.title}
            </option>
          ))}
        </select>
      </label>
      <fieldset class="field">
        <legend class="field__label">Kinds of change (none ticked: every kind)</legend>
        {WEBHOOK_KINDS.map((kind) => (
          <label key={kind} class="check">
            <input
              type="checkbox"
              checked={kinds.includes(kind)}
              onChange={(e) => toggle(kind, e.currentTarget.checked)}
            />{' '}
            <code>{kind}</code>
          </label>
        ))}
      </fieldset>
      <ErrorNote error={error} />
      <button type="submit" class="button">
        Add webhook
      </button>
    </form>
  );
}

/** Admins: the webhook endpoints, each one's deliveries, and a form to add one. */
export function Webhooks() {
  const [webhooks, setWebhooks] = useState<WebhookJson[]>([]);
  const [pages, setPages] = useState<DeskPage[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api<{ webhooks: WebhookJson[] }>('GET', '/desk/api/webhooks')
      .then((r) => setWebhooks(r.webhooks))
      .catch((err: unknown) => setError(message(err)));
  useEffect(() => {
    void load();
    void api<{ pages: DeskPage[] }>('GET', '/desk/api/pages')
      .then((r) => setPages(r.pages))
      .catch(() => undefined);
  }, []);
  const remove = async (webhook: WebhookJson) => {
    if (!confirm(`Stop sending changes to ${webhook.url}?`)) return;
    try {
      await api('DELETE', `/desk/api/webhooks/${webhook.id}`);
      await load();
    } catch (err) {
      setError(message(err));
    }
  };
  return (
    <main id="main" class="shell" tabIndex={-1}>
      <h1>Webhooks</h1>
      <p class="muted">
        Each change on the chosen live pages is POSTed to these addresses, signed (see the webhook
        guide, docs/webhooks.md).
      </p>
      <ErrorNote error={error} />
      {secret ? (
        <div class="notice" role="status">
          <p>
            The new webhook's secret, shown only this once: give it to the receiver so it can check
            signatures.
          </p>
          <code class="secret">{secret}</code>
        </div>
      ) : null}
      <ul class="webhooks">
        {webhooks.map((webhook) => (
          <li key={webhook.id} class="webhook">
            <p>
              <strong>{webhook.url}</strong>{' '}
              {webhook.failingSince ? (
                <span class="badge badge--warning">
                  failing since {WHEN.format(new Date(webhook.failingSince))}
                </span>
              ) : null}
            </p>
            <p class="muted">
              {webhook.pages ? webhook.pages.join(', ') : 'Every page'};{' '}
              {webhook.kinds ? webhook.kinds.join(', ') : 'every kind of change'}
            </p>
            <button
              type="button"
              class="button button--small"
              aria-expanded={open === webhook.id}
              onClick={() => setOpen(open === webhook.id ? null : webhook.id)}
            >
              {open === webhook.id ? 'Hide deliveries' : 'Deliveries'}
            </button>{' '}
            <button type="button" class="button button--small" onClick={() => void remove(webhook)}>
              Remove
            </button>
            {open === webhook.id ? <Deliveries webhook={webhook} /> : null}
          </li>
        ))}
      </ul>
      {webhooks.length === 0 ? <p class="muted">No webhooks yet.</p> : null}
      <NewWebhook
        pages={pages}
        onCreated={(made) => {
          setSecret(made);
          void load();
        }}
      />
    </main>
  );
}
