import { useEffect, useState } from 'preact/hooks';
import { api, type DeskPage, type User } from './api.ts';
import type { PresentedAuditEntry } from '../../src/services/audit.ts';
import { ErrorNote } from './fields.tsx';

type Entry = PresentedAuditEntry;
interface Filter {
  page: string;
  user: string;
}

function query(filter: Filter, before: string | null): string {
  const params = new URLSearchParams();
  if (filter.page) params.set('page', filter.page);
  if (filter.user) params.set('user', filter.user);
  if (before) params.set('before', before);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function Who({ entry }: { entry: Entry }) {
  const { actor } = entry;
  if (actor.kind === 'unknown') return <span class="muted">Unknown</span>;
  if (actor.kind === 'system') return <span>{actor.name} (system)</span>;
  return (
    <span>
      {actor.name ?? actor.userId}
      {actor.kind === 'token' ? <span class="muted"> by token {actor.tokenId}</span> : null}
    </span>
  );
}

/** Admins: every write, newest first, filtered by live page and by person; "Older" pages back. */
export function AuditLog() {
  const initial = new URLSearchParams(location.search);
  const [filter, setFilter] = useState<Filter>({
    page: initial.get('page') ?? '',
    user: initial.get('user') ?? '',
  });
  const [entries, setEntries] = useState<Entry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [pages, setPages] = useState<DeskPage[]>([]);
  const [people, setPeople] = useState<User[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const load = async (chosen: Filter, before: string | null) => {
    setLoading(true);
    try {
      setError(null);
      const found = await api<{ entries: Entry[]; next: string | null }>(
        'GET',
        `/desk/api/audit${query(chosen, before)}`,
      );
      setEntries((shown) => (before ? [...shown, ...found.entries] : found.entries));
      setNext(found.next);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(filter, null);
    void api<{ pages: DeskPage[] }>('GET', '/desk/api/pages')
      .then((r) => setPages(r.pages))
      .catch(() => undefined);
    void api<{ users: User[] }>('GET', '/desk/api/users')
      .then((r) => setPeople(r.users))
      .catch(() => undefined);
  }, []);

  const choose = (change: Partial<Filter>) => {
    const chosen = { ...filter, ...change };
    setFilter(chosen);
    // The address keeps the filter, so a filtered log can be linked to and reloaded.
    history.replaceState(null, '', `/desk/audit${query(chosen, null)}`);
    void load(chosen, null);
  };

  return (
    <main id="main" class="shell" tabIndex={-1}>
      <h1>Audit log</h1>
      <div class="row" role="search" aria-label="Filter the audit log">
        <label class="field" for="audit-page">
          <span class="field__label">Live page</span>
          <select
            id="audit-page"
            class="input"
            value={filter.page}
            onChange={(e) => choose({ page: e.currentTarget.value })}
          >
            <option value="">Every page</option>
            {pages.map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.title}
              </option>
            ))}
          </select>
        </label>
        <label class="field" for="audit-user">
          <span class="field__label">Person</span>
          <select
            id="audit-user"
            class="input"
            value={filter.user}
            onChange={(e) => choose({ user: e.currentTarget.value })}
          >
            <option value="">Everyone</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={error} />
      <table class="table audit">
        <caption class="visually-hidden">Writes, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Page</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.id} data-action={entry.action}>
              <td>
                <time dateTime={entry.at}>{WHEN.format(new Date(entry.at))}</time>
              </td>
              <td>
                <Who entry={entry} />
              </td>
              <td>
                <code>{entry.action}</code>
              </td>
              <td>{entry.page ? (entry.page.title ?? entry.page.id) : ''}</td>
              <td>
                {entry.post?.headline ? <q>{entry.post.headline}</q> : null}
                {entry.post?.headline && entry.summary ? ' — ' : null}
                {entry.summary}
                {entry.address ? <span class="muted"> from {entry.address}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p role="status" class="muted">
        {loading ? 'Loading…' : entries.length === 0 ? 'Nothing recorded for this filter.' : ''}
      </p>
      {next ? (
        <button
          type="button"
          class="button"
          disabled={loading}
          onClick={() => void load(filter, next)}
        >
          Older
        </button>
      ) : null}
    </main>
  );
}
