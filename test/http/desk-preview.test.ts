import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Block } from '../../src/domain/blocks.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createPerson, signIn, type DeskSession } from '../support/people.ts';

type Json = Record<string, unknown>;

const BODY: Block[] = [
  {
    type: 'paragraph',
    content: [
      { type: 'text', text: 'Talks ' },
      { type: 'text', text: 'resume', bold: true },
      { type: 'text', text: ' at noon, ' },
      {
        type: 'link',
        text: 'says the ministry',
        href: 'https://example.org/notice',
        external: true,
      },
    ],
  },
  {
    type: 'list',
    items: [[{ type: 'text', text: 'First point' }], [{ type: 'text', text: 'Second point' }]],
  },
  {
    type: 'image',
    src: 'https://example.org/a.jpg',
    alt: 'Delegates arrive',
    caption: 'Arrivals',
    credit: 'Liveline',
  },
];

/** The `<article>` of one post in a reader page. */
function articleOf(html: string, postId: string): string {
  const start = html.indexOf(`<article id="post-${postId}"`);
  assert.ok(start >= 0, `no article for ${postId}`);
  const end = html.indexOf('</article>', start);
  return html.slice(start, end + '</article>'.length);
}

for (const adapter of await adapters()) {
  describe(
    `the preview is the reader's article: ${adapter.name}`,
    { skip: adapter.skip, timeout: 60_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      let desk: DeskSession;
      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestApp(opened.store);
        await t.call('editor', 'POST', '/api/pages', {
          slug: 'talks',
          title: 'Talks',
          status: 'live',
          timeZone: 'Europe/Paris',
        });
        const person = await createPerson(t, { role: 'editor' });
        desk = await signIn(t, person.email, person.password);
      });
      after(async () => {
        await t.app.close();
        await drop();
      });

      const preview = (post: Json, slug = 'talks') =>
        t.app.inject({
          method: 'POST',
          url: '/desk/api/preview',
          headers: desk.headers,
          payload: { slug, post },
        });

      /** Previews `post`, publishes it, and checks the preview is the reader's article. */
      const previewIsArticle = async (post: Json): Promise<string> => {
        const res = await preview(post);
        assert.equal(res.statusCode, 200, res.body);
        const html = res.json<{ html: string }>().html;
        const published = await t.app.inject({
          method: 'POST',
          url: '/api/pages/talks/posts',
          headers: desk.headers,
          payload: post,
        });
        assert.equal(published.statusCode, 201, published.body);
        const id = published.json<{ id: string }>().id;
        const page = await t.app.inject({ method: 'GET', url: '/live/talks' });
        assert.equal(
          articleOf(page.body, id),
          html
            .replaceAll('post-preview', `post-${id}`)
            .replaceAll('/posts/preview', `/posts/${id}`),
        );
        return html;
      };

      it('renders exactly the article readers get once it is published', async () => {
        const post = {
          headline: 'Talks resume',
          body: BODY,
          labels: ['breaking'],
          contributors: [{ name: 'Katya Adler', role: 'Europe editor' }],
          publishedAt: '2026-02-03T11:45:00.000Z',
        };
        await previewIsArticle(post);
      });

      it('shows a post without a time at the time it would go out, its labels and pin as readers will', async () => {
        try {
          t.clock.set('2026-02-03T12:07:00.000Z');
          const post = {
            headline: 'Pinned, labelled, timed by the server',
            body: BODY,
            labels: ['analysis', 'breaking'],
            pinned: true,
          };
          const html = await previewIsArticle(post);
          assert.match(html, /13:07/, "the time on the page's clock (Paris)");
        } finally {
          t.clock.release();
        }
      });

      it('writes nothing: no post, no change-log entry', async () => {
        const before = [
          (await t.call(null, 'GET', '/api/pages/talks')).json<Json>().lastSeq,
          (
            await t.app.inject({
              method: 'GET',
              url: '/desk/api/pages/talks/posts',
              headers: { cookie: desk.cookie },
            })
          ).body,
        ];
        assert.equal((await preview({ headline: 'Only a preview', body: BODY })).statusCode, 200);
        const after = [
          (await t.call(null, 'GET', '/api/pages/talks')).json<Json>().lastSeq,
          (
            await t.app.inject({
              method: 'GET',
              url: '/desk/api/pages/talks/posts',
              headers: { cookie: desk.cookie },
            })
          ).body,
        ];
        assert.deepEqual(after, before);
      });

      it('validates like a new post: an image without alt text, an unknown page, a javascript: link', async () => {
        const noAlt = await preview({
          headline: 'x',
          body: [{ type: 'image', src: 'https://example.org/a.jpg' }],
        });
        assert.equal(noAlt.statusCode, 422);
        assert.match(noAlt.json<Json>().detail as string, /alt/);
        const link = await preview({
          headline: 'x',
          body: [
            {
              type: 'paragraph',
              content: [{ type: 'link', text: 'x', href: 'javascript:alert(1)' }],
            },
          ],
        });
        assert.equal(link.statusCode, 422);
        const nowhere = await preview({ headline: 'x', body: BODY }, 'no-such-page');
        assert.equal(nowhere.statusCode, 404);
        assert.equal(nowhere.json<Json>().code, 'PAGE_NOT_FOUND');
        const anonymous = await t.app.inject({
          method: 'POST',
          url: '/desk/api/preview',
          payload: { slug: 'talks', post: { headline: 'x', body: BODY } },
        });
        assert.equal(anonymous.statusCode, 401);
      });
    },
  );
}
