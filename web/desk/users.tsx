import { useEffect, useState } from 'preact/hooks';
import { api, type User } from './api.ts';
import { ErrorNote } from './fields.tsx';

const ROLES: User['role'][] = ['admin', 'editor', 'contributor'];

/** Admins: invite people (a one-time link shown once), change roles, disable, reset links. */
export function Users() {
  const [users, setUsers] = useState<User[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<{ who: string; url: string } | null>(null);
  const [form, setForm] = useState({ email: '', name: '', bylineRole: '', role: 'contributor' });

  const load = () =>
    api<{ users: User[] }>('GET', '/desk/api/users')
      .then((r) => setUsers(r.users))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  useEffect(() => void load(), []);

  const run = async (what: () => Promise<unknown>) => {
    try {
      setError(null);
      await what();
      await load();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const invite = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const made = await api<{ user: User; link: string }>('POST', '/desk/api/users', form);
      setLink({ who: made.user.name, url: made.link });
      setForm({ email: '', name: '', bylineRole: '', role: 'contributor' });
    });
  };

  const input = (name: 'email' | 'name' | 'bylineRole', label: string, type = 'text') => (
    <label class="field" for={`invite-${name}`}>
      <span class="field__label">{label}</span>
      <input
        id={`invite-${name}`}
        class="input"
        type={type}
        required={name !== 'bylineRole'}
        value={form[name]}
        onInput={(e) => setForm({ ...form, [name]: e.currentTarget.value })}
      />
    </label>
  );

  return (
    <main id="main" class="shell" tabIndex={-1}>
      <h1>People</h1>
      <ErrorNote error={error} />
      {link ? (
        <div class="notice" role="status">
          <p>One-time link for {link.who}. Send it to them yourself; it is shown only now.</p>
          <label class="field" for="one-time-link">
            <span class="field__label">Link</span>
            <input
              id="one-time-link"
              class="input"
              readOnly
              value={link.url}
              onFocus={(e) => e.currentTarget.select()}
            />
          </label>
        </div>
      ) : null}
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} class={user.disabled ? 'row--disabled' : ''}>
              <td>
                {user.name}
                {user.bylineRole ? <span class="muted">, {user.bylineRole}</span> : null}
                {user.disabled ? <span class="badge">Disabled</span> : null}
              </td>
              <td>{user.email}</td>
              <td>
                <label class="visually-hidden" for={`role-${user.id}`}>
                  Role of {user.name}
                </label>
                <select
                  id={`role-${user.id}`}
                  class="input"
                  value={user.role}
                  onChange={(e) =>
                    void run(() =>
                      api('PATCH', `/desk/api/users/${user.id}`, { role: e.currentTarget.value }),
                    )
                  }
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </td>
              <td class="actions">
                <button
                  type="button"
                  class="button button--small"
                  onClick={() =>
                    void run(() =>
                      api('PATCH', `/desk/api/users/${user.id}`, { disabled: !user.disabled }),
                    )
                  }
                >
                  {user.disabled ? 'Enable' : 'Disable'}
                  <span class="visually-hidden"> {user.name}</span>
                </button>
                <button
                  type="button"
                  class="button button--small"
                  onClick={() =>
                    void run(async () => {
                      const made = await api<{ link: string }>(
                        'POST',
                        `/desk/api/users/${user.id}/reset-link`,
                      );
                      setLink({ who: user.name, url: made.link });
                    })
                  }
                >
                  Reset link<span class="visually-hidden"> for {user.name}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="card" onSubmit={invite} aria-labelledby="invite-title">
        <h2 id="invite-title">Invite someone</h2>
        <div class="row">
          {input('name', 'Name')}
          {input('email', 'E-mail', 'email')}
          {input('bylineRole', 'Byline role (e.g. Europe correspondent)')}
          <label class="field" for="invite-role">
            <span class="field__label">Newsroom role</span>
            <select
              id="invite-role"
              class="input"
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.currentTarget.value })}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
        </div>
        <button type="submit" class="button button--primary">
          Invite
        </button>
      </form>
    </main>
  );
}
