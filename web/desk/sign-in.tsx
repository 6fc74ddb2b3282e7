import { useEffect, useState } from 'preact/hooks';
import { api, setCsrfToken, type User } from './api.ts';
import { ErrorNote, TextField } from './fields.tsx';

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
        <TextField
          id="email"
          label="E-mail"
          type="email"
          autoComplete="username"
          required
          value={email}
          onInput={setEmail}
        />
        <TextField
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={setPassword}
        />
        <ErrorNote error={error} />
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
        <TextField
          id="new-password"
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onInput={setPassword}
        />
        <ErrorNote error={error} />
        <button type="submit" class="button button--primary" disabled={!link}>
          Set password and sign in
        </button>
      </form>
    </main>
  );
}
