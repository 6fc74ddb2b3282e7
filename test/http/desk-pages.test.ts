import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../support/adapters.ts';
import { aParagraph } from '../support/factories.ts';
import { createPerson, signIn, type DeskSession } from '../support/people.ts';
import { readEvents, startTestServer, type TestServer } from '../support/server.ts';

type Json = Record<string, unknown>;

for (const adapter of await adapters()) {
  describe(
    `the desk's pages and posts: ${adapter.name}`,
    { skip: adapter.skip, timeout: 60_000 },
    () => {
      let t: TestServer;
      let drop: () => Promise<void>;
      let desk: DeskSession;
      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestServer(opened.store);
        const person = await createPerson(t, { role: 'contributor' });
        desk = await signIn(t.url, person.email, person.password);
        await t.call('editor', 'POST', '/api/pages', {
          slug: 'quiet',
          title: 'Quiet',
          status: 'live',
        });
        await t.call('editor', 'POST', '/api/pages', {
          slug: 'busy',
          title: 'Busy',
          status: 'live',
        });
        for (const [headline, publishedAt, status] of [
          ['Morning', '2026-01-05T08:00:00.000Z', 'published'],
          ['Noon', '2026-01-05T12:00:00.000Z', 'published'],
          ['Unfinished', '2026-01-05T13:00:00.000Z', 'draft'],
        ] as const) {
          await t.call('editor', 'POST', '/api/pages/busy/posts', {
            headline,
            publishedAt,
            status,
            body: [aParagraph(headline)],
          });
        }
      });
      after(async () => {
        await t.app.close();
        await drop();
      });

      const get = async (path: string) => {
        const res = await fetch(`${t.url}${path}`, { headers: { cookie: desk.cookie } });
        assert.equal(res.status, 200, path);
        assert.equal(res.headers.get('cache-control'), 'no-store');
        return (await res.json()) as Json;
      };

      it('lists pages with readers connected here and the last published post time', async () => {
        // Open for a second: long enough to be counted, then it closes by itself.
        const reader = readEvents(`${t.url}/live/busy/events`, 99, {
          timeoutMs: 1000,
          partial: true,
        });
        try {
          // Wait until the reader is counted.
          let pages: Json[] = [];
          for (let i = 0; i < 50; i++) {
            pages = (await get('/desk/api/pages')).pages as Json[];
            if (pages.find((p) => p.slug === 'busy')?.readers === 1) break;
            await new Promise((r) => setTimeout(r, 20));
          }
          const busy = pages.find((p) => p.slug === 'busy');
          const quiet = pages.find((p) => p.slug === 'quiet');
          assert.equal(busy?.readers, 1);
          assert.equal(
            busy?.lastPostAt,
            '2026-01-05T12:00:00.000Z',
            'the draft is not a post readers saw',
          );
          assert.equal(busy?.title, 'Busy');
          assert.equal(quiet?.readers, 0);
          assert.equal(quiet?.lastPostAt, null);
        } finally {
          await reader;
        }
      });

      it("lists a page's posts and drafts newest first, with their author", async () => {
        const { posts } = (await get('/desk/api/pages/busy/posts')) as { posts: Json[] };
        assert.deepEqual(
          posts.map((p) => [p.headline, p.status]),
          [
            ['Unfinished', 'draft'],
            ['Noon', 'published'],
            ['Morning', 'published'],
          ],
        );
        assert.ok(
          posts.every((p) => typeof p.authorId === 'string' && typeof p.revision === 'number'),
        );
        const anonymous = await fetch(`${t.url}/desk/api/pages/busy/posts`);
        assert.equal(anonymous.status, 401);
        const missing = await fetch(`${t.url}/desk/api/pages/nowhere/posts`, {
          headers: { cookie: desk.cookie },
        });
        assert.equal(missing.status, 404);
      });
    },
  );
}
