import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Account } from './account.tsx';
import { api, setCsrfToken, whenSignedOut, type User } from './api.ts';
import { AuditLog } from './audit.tsx';
import { PageDesk } from './page-desk.tsx';
import { PagesList } from './pages-list.tsx';
import { SetPassword, SignIn } from './sign-in.tsx';
import { Users } from './users.tsx';
import { Webhooks } from './webhooks.tsx';

/** Which screen an address shows; the server serves the same shell at each. */
type Route =
  | { name: 'pages' }
  | { name: 'page'; slug: string }
  | { name: 'link'; token: string }
  | { name: 'users' }
  | { name: 'account' }
  | { name: 'audit' }
  | { name: 'webhooks' };

export function routeOf(path: string): Route {
  const parts = path.replace(/\/+$/, '').split('/').slice(2).map(decodeURIComponent);
  if (parts[0] === 'pages' && parts[1]) return { name: 'page', slug: parts[1] };
  if (parts[0] === 'link' && parts[1]) return { name: 'link', token: parts[1] };
  if (parts[0] === 'users') return { name: 'users' };
  if (parts[0] === 'account') return { name: 'account' };
  if (parts[0] === 'audit') return { name: 'audit' };
  if (parts[0] === 'webhooks') return { name: 'webhooks' };
  return { name: 'pages' };
}

function Header(props: { me: User; onSignedOut: () => void }) {
  const signOut = async () => {
    try {
      await api('POST', '/desk/api/sign-out');
    } finally {
      setCsrfToken(null);
      props.onSignedOut();
    }
  };
  return (
    <header class="bar">
      <a class="bar__brand" href="/desk">
        Liveline <span class="bar__desk">desk</span>
      </a>
      <nav class="bar__nav" aria-label="Desk">
        <a href="/desk">Pages</a>
        {props.me.role === 'admin' ? <a href="/desk/users">People</a> : null}
        {props.me.role === 'admin' ? <a href="/desk/audit">Audit log</a> : null}
        {props.me.role === 'admin' ? <a href="/desk/webhooks">Webhooks</a> : null}
        <a href="/desk/account">{props.me.name}</a>
        <button
          type="button"
          class="button button--small button--on-dark"
          onClick={() => void signOut()}
        >
          Sign out
        </button>
      </nav>
    </header>
  );
}

function App(props: { readerCss: string }) {
  const [me, setMe] = useState<User | null | undefined>(undefined);
  const route = routeOf(location.pathname);
  useEffect(() => {
    whenSignedOut(() => setMe(null));
    if (route.name === 'link') return setMe(null);
    api<{ user: User; csrfToken: string }>('GET', '/desk/api/me')
      .then((r) => {
        setCsrfToken(r.csrfToken);
        setMe(r.user);
      })
      // Not signed in (or the server cannot say): the sign-in screen.
      .catch(() => setMe(null));
  }, []);

  if (me === undefined)
    return (
      <main class="shell">
        <p>Loading…</p>
      </main>
    );
  if (route.name === 'link' && !me) return <SetPassword token={route.token} onSignedIn={setMe} />;
  if (!me) return <SignIn onSignedIn={setMe} />;
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header me={me} onSignedOut={() => setMe(null)} />
      {route.name === 'page' ? (
        <PageDesk slug={route.slug} me={me} readerCss={props.readerCss} />
      ) : route.name === 'users' ? (
        <Users />
      ) : route.name === 'audit' ? (
        <AuditLog />
      ) : route.name === 'webhooks' ? (
        <Webhooks />
      ) : route.name === 'account' ? (
        <Account me={me} />
      ) : (
        <PagesList canCreate={me.role !== 'contributor'} />
      )}
    </>
  );
}

const root = document.getElementById('desk');
if (root) {
  root.textContent = '';
  render(<App readerCss={root.dataset.readerCss ?? ''} />, root);
}
