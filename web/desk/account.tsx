import { useEffect, useState } from 'preact/hooks';
import { api, type User } from './api.ts';
import { ErrorNote } from './fields.tsx';

interface SessionRow {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
}

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** My sessions (revocable) and my personal API tokens (shown once). */
export function Account(props: { me: User }) {
  const [sessions, setSessions] = useState<SessionRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [tokenName, setTokenName] = useState('');
  const [token, setToken] = useState<string | null>(null);
  const load = () =>
    api<{ sessions: SessionRow[] }>('GET', '/desk/api/sessions')
      .then((r) => setSessions(r.sessions))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  useEffect(() => void load(), []);

  const revoke = async (id: string) => {
    try {
      await api('DELETE', `/desk/api/sessions/${id}`);
      await load();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const createToken = async (event: Event) => {
    event.preventDefault();
    try {
      const made = await api<{ id: string; token: string }>('POST', '/desk/api/tokens', {
        name: tokenName,
      });
      setToken(made.token);
      setTokenName('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <main id="main" class="shell" tabIndex={-1}>
      <h1>My account</h1>
      <p>
        {props.me.name} · {props.me.email} · {props.me.role}
      </p>
      <ErrorNote error={error} />
      <h2>Where I am signed in</h2>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Browser</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last seen</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((s) => (
            <tr key={s.id}>
              <td>
                {s.userAgent ?? 'Unknown browser'}
                {s.current ? <span class="badge">This browser</span> : null}
              </td>
              <td>{when(s.createdAt)}</td>
              <td>{when(s.lastSeenAt)}</td>
              <td>
                {s.current ? null : (
                  <button
                    type="button"
                    class="button button--small"
                    onClick={() => void revoke(s.id)}
                  >
                    Sign out there
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="card" onSubmit={(e) => void createToken(e)} aria-labelledby="token-title">
        <h2 id="token-title">Personal API token</h2>
        <p class="muted">For scripts that post as you. It is shown once; keep it secret.</p>
        <label class="field" for="token-name">
          <span class="field__label">Token name</span>
          <input
            id="token-name"
            class="input"
            required
            value={tokenName}
            onInput={(e) => setTokenName(e.currentTarget.value)}
          />
        </label>
        <button type="submit" class="button button--primary">
          Create token
        </button>
        {token ? (
          <label class="field" for="new-token">
            <span class="field__label">Your new token (copy it now)</span>
            <input
              id="new-token"
              class="input"
              readOnly
              value={token}
              onFocus={(e) => e.currentTarget.select()}
            />
          </label>
        ) : null}
      </form>
    </main>
  );
}
