import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken, type User } from './api.ts';

interface Signed {
  user: User;
  csrfToken: string;
}

/** Sign-in: one answer for an unknown e-mail and a wrong password, as the server gives. */
export function SignIn(props: { onSignedIn: (user: User) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const signed = await api<Signed>('POST', '/desk/api/sign-in', { email, password });
      setCsrfToken(signed.csrfToken);
      props.onSignedIn(signed.user);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="shell shell--narrow" tabIndex={-1}>
      <form class="card" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to the desk</h1>
        <label class="field" for="email">
          <span class="field__label">E-mail</span>
          <input
            id="email"
            class="input"
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label class="field" for="password">
          <span class="field__label">Password</span>
          <input
            id="password"
            class="input"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" class="button button--primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}

/** The page a one-time link opens: choose a password, then you are signed in. */
export function SetPassword(props: { token: string; onSignedIn: (user: User) => void }) {
  const [link, setLink] = useState<{ purpose: string; email: string; name: string } | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ purpose: string; email: string; name: string }>('GET', `/desk/api/links/${props.token}`)
      .then(setLink)
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [props.token]);
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      const signed = await api<Signed>('POST', `/desk/api/links/${props.token}`, { password });
      setCsrfToken(signed.csrfToken);
      history.replaceState(null, '', '/desk');
      props.onSignedIn(signed.user);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <main id="main" class="shell shell--narrow" tabIndex={-1}>
      <form class="card" onSubmit={(e) => void submit(e)} aria-labelledby="set-password-title">
        <h1 id="set-password-title">Choose your password</h1>
        {link ? (
          <p>
            For {link.name} ({link.email}).
          </p>
        ) : null}
        <label class="field" for="new-password">
          <span class="field__label">New password</span>
          <input
            id="new-password"
            class="input"
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" class="button button--primary" disabled={!link}>
          Set password and sign in
        </button>
      </form>
    </main>
  );
}
