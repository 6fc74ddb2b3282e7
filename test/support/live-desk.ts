import assert from 'node:assert/strict';
import type { Adapter } from './adapters.ts';
import type { TestApp } from './app.ts';
import { aParagraph } from './factories.ts';
import { startTestServer, type TestServer } from './server.ts';

/** The app listening on a fresh database of the adapter; `dispose` stops it and drops that. */
export async function serveOn(
  adapter: Adapter,
): Promise<TestServer & { dispose(): Promise<void> }> {
  const opened = await adapter.open();
  const t = await startTestServer(opened.store);
  return {
    ...t,
    async dispose() {
      await t.app.close();
      await opened.drop();
    },
  };
}

/** A post as the JSON API gives it, with the fields the corrections tests read. */
export interface PostJson {
  id: string;
  status: string;
  headline: string;
  revision: number;
  updatedAt: string;
  body: unknown[];
  corrections: { note: string; at: string }[];
}

/** A step of a post's history as GET /desk/api/.../history gives it. */
export interface StepJson {
  id: string;
  at: string;
  actor: { kind: string; id: string | null; name: string };
  action: string;
  revision: number;
  fields: string[];
  note: string | null;
  content: { headline: string; body: unknown[] } | null;
  removal: { byId: string | null; byName: string; at: string; reason: string } | null;
}

export interface HistoryJson {
  post: {
    id: string;
    status: string;
    revision: number;
    corrections: PostJson['corrections'];
    removal: StepJson['removal'];
  };
  steps: StepJson[];
}

/** A newsroom's moves on one live page, asserting each write succeeded. */
export function liveDesk(t: TestApp, slug: string) {
  const posts = `/api/pages/${slug}/posts`;
  return {
    posts,
    async openPage(): Promise<void> {
      const res = await t.call('editor', 'POST', '/api/pages', {
        slug,
        title: slug,
        status: 'live',
      });
      assert.equal(res.statusCode, 201, res.body);
    },
    async publish(headline: string, text: string, headers: Record<string, string> = {}) {
      const res = await t.call(
        'editor',
        'POST',
        posts,
        { headline, body: [aParagraph(text)] },
        headers,
      );
      assert.equal(res.statusCode, 201, res.body);
      return res.json<PostJson>();
    },
    async edit(id: string, changes: object, as: 'editor' | 'admin' = 'editor') {
      const current = (await t.call('editor', 'GET', `${posts}/${id}`)).json<PostJson>();
      const res = await t.call(as, 'PATCH', `${posts}/${id}`, {
        revision: current.revision,
        ...changes,
      });
      assert.equal(res.statusCode, 200, res.body);
      return res.json<PostJson>();
    },
    async history(id: string, as: 'editor' | 'admin' = 'editor'): Promise<HistoryJson> {
      const res = await t.call(as, 'GET', `/desk/api/pages/${slug}/posts/${id}/history`);
      assert.equal(res.statusCode, 200, res.body);
      return res.json<HistoryJson>();
    },
    /** The raw text of every public surface of the page and of the post. */
    async everyPublicSurface(id: string): Promise<string> {
      const urls = [
        `/live/${slug}`,
        `/live/${slug}/posts/${id}`,
        `/live/${slug}/feed.xml`,
        `/live/${slug}.txt`,
        `/api/pages/${slug}/posts`,
        `/api/pages/${slug}/posts/${id}`,
        `/api/pages/${slug}/changes?since=0`,
      ];
      const bodies: string[] = [];
      for (const url of urls) bodies.push((await t.call(null, 'GET', url)).body);
      return bodies.join('\n');
    },
  };
}
