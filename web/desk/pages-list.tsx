import { useEffect, useState } from 'preact/hooks';
import { api, type DeskPage } from './api.ts';
import { ErrorNote } from './fields.tsx';

const when = (iso: string | null | undefined) =>
  iso
    ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })
    : 'No posts yet';

/** The live pages: status, readers connected now, last post; and a form to start one. */
export function PagesList(props: { canCreate: boolean }) {
  const [pages, setPages] = useState<DeskPage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');

  const load = () =>
    api<{ pages: DeskPage[] }>('GET', '/desk/api/pages')
      .then((r) => setPages(r.pages))
      .catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  useEffect(() => void load(), []);

  const create = async (event: Event) => {
    event.preventDefault();
    try {
      const page = await api<DeskPage>('POST', '/api/pages', {
        slug,
        title,
        description: '',
        status: 'live',
      });
      location.assign(`/desk/pages/${page.slug}`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <main id="main" class="shell" tabIndex={-1}>
      <h1>Live pages</h1>
      <ErrorNote error={error} />
      {pages === null ? <p>Loading…</p> : null}
      {pages && pages.length === 0 ? <p class="muted">No live pages yet.</p> : null}
      {pages && pages.length > 0 ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Page</th>
              <th scope="col">Status</th>
              <th scope="col">Readers now</th>
              <th scope="col">Last post</th>
            </tr>
          </thead>
          <tbody>
            {pages.map((page) => (
              <tr key={page.slug}>
                <td>
                  <a href={`/desk/pages/${page.slug}`}>{page.title}</a>
                </td>
                <td>
                  <span class={`status status--${page.status}`}>{page.status}</span>
                </td>
                <td>{page.readers ?? 0}</td>
                <td>{when(page.lastPostAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {props.canCreate ? (
        <form class="card" onSubmit={(e) => void create(e)} aria-labelledby="create-title">
          <h2 id="create-title">Start a live page</h2>
          <div class="row">
            <label class="field" for="new-page-title">
              <span class="field__label">Title</span>
              <input
                id="new-page-title"
                class="input"
                required
                value={title}
                onInput={(e) => {
                  const t = e.currentTarget.value;
                  setTitle(t);
                  setSlug(
                    t
                      .toLowerCase()
                      .replace(/[^a-z0-9]+/g, '-')
                      .replace(/^-|-$/g, '')
                      .slice(0, 80),
                  );
                }}
              />
            </label>
            <label class="field" for="new-page-slug">
              <span class="field__label">Address (slug)</span>
              <input
                id="new-page-slug"
                class="input"
                required
                value={slug}
                onInput={(e) => setSlug(e.currentTarget.value)}
              />
            </label>
          </div>
          <button type="submit" class="button button--primary">
            Create page
          </button>
        </form>
      ) : null}
    </main>
  );
}
