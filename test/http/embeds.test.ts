import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OEmbedClient } from '../../src/embeds/oembed.ts';
import { playerOrigins } from '../../src/embeds/providers.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';
import { startOEmbedProvider } from '../support/oembed-provider.ts';

type Problem = { code: string; detail: string; errors: { field: string; reason: string }[] };
type PostJson = { id: string; revision: number; body: Record<string, unknown>[] };

const YOUTUBE = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';

/** Asserts the page has (or lacks) a piece of HTML without printing the whole page. */
function has(html: string, piece: string, wanted = true): void {
  assert.equal(html.includes(piece), wanted, `${wanted ? 'missing' : 'unexpected'}: ${piece}`);
}

// Embeds are refused at publish unless the registry knows their provider; the oEmbed answer
// of a known one is fetched once, cached and stored into the block; a provider that cannot
// be reached leaves a plain card. On every database.
for (const adapter of await adapters()) {
  describe(`embeds: ${adapter.name}`, { skip: adapter.skip, timeout: 60_000 }, () => {
    let t: TestApp;
    let provider: Awaited<ReturnType<typeof startOEmbedProvider>>;
    let oembed: OEmbedClient;
    let drop: () => Promise<void>;
    const slug = 'launch';
    const posts = `/api/pages/${slug}/posts`;
    const publish = (body: unknown[]) =>
      t.call('editor', 'POST', posts, { headline: 'From the cliffs', body });
    const stored = async () =>
      (await t.call('editor', 'GET', posts)).json<{ posts: PostJson[] }>().posts;

    before(async () => {
      provider = await startOEmbedProvider();
      oembed = new OEmbedClient({
        // Every provider asks the local one; Vimeo is turned off; X's endpoint is a closed port.
        endpoints: {
          youtube: provider.endpoint,
          bluesky: provider.endpoint,
          x: provider.endpoint,
          vimeo: null,
          tiktok: 'http://127.0.0.1:1/oembed',
        },
        // Long enough for a loaded machine (2 shared cores); the slow provider waits 20 s.
        timeoutMs: 2_000,
      });
      const opened = await adapter.open();
      drop = opened.drop;
      t = await startTestApp(opened.store, {}, { oembed });
      const page = await t.call('editor', 'POST', '/api/pages', {
        slug,
        title: 'Kestrel-1 launch',
        status: 'live',
      });
      assert.equal(page.statusCode, 201, page.body);
    });
    after(async () => {
      await t.app.close();
      await drop();
      await provider.close();
    });

    it('refuses an unknown provider, naming the field, and stores nothing', async () => {
      const asked = provider.asks.length;
      const res = await publish([
        aParagraph('Before the embed.'),
        { type: 'embed', provider: 'x', url: 'https://example.com/x/status/1' },
        { type: 'embed', provider: 'x', url: YOUTUBE },
        {
          type: 'embed',
          provider: 'youtube',
          url: 'https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ',
        },
        { type: 'video', src: 'https://cdn.example/launch.exe' },
      ]);
      assert.equal(res.statusCode, 422, res.body);
      const problem = res.json<Problem>();
      assert.equal(problem.code, 'VALIDATION_FAILED');
      assert.deepEqual(
        problem.errors.map((p) => p.field),
        ['/body/1/url', '/body/2/provider', '/body/3/url', '/body/4/src'],
      );
      assert.match(problem.errors[0]!.reason, /not the address of a post Liveline can embed/);
      assert.match(problem.errors[1]!.reason, /a YouTube post, not X/);
      assert.match(problem.errors[3]!.reason, /MP4 \(\.mp4\) or HLS \(\.m3u8\)/);
      assert.deepEqual(await stored(), []);
      assert.equal(provider.asks.length, asked, 'no provider was asked about a refused post');
    });

    it('fetches the oEmbed answer once, stores title and author, and caches it', async () => {
      const before = provider.asks.length;
      const embed = { type: 'embed', provider: 'youtube', url: YOUTUBE };
      const first = await publish([embed]);
      assert.equal(first.statusCode, 201, first.body);
      assert.deepEqual(first.json<PostJson>().body, [
        {
          ...embed,
          // One line, XML text, bounded; the answer's html and thumbnail are never used.
          title: 'Launch <day> & night watch?v=dQw4w9WgXcQ',
          author: 'Skerra Head Spaceport',
        },
      ]);
      assert.deepEqual(provider.asks.slice(before), [
        { path: '/oembed', url: YOUTUBE, format: 'json' },
      ]);
      const second = await publish([embed]);
      assert.equal(second.statusCode, 201, second.body);
      assert.equal(
        second.json<PostJson>().body[0]?.title,
        'Launch <day> & night watch?v=dQw4w9WgXcQ',
      );
      assert.equal(provider.asks.length, before + 1, 'the second publish used the cache');

      const html = (await t.call(null, 'GET', `/live/${slug}`)).body;
      has(html, '<p class="embed__title">Launch &lt;day> &amp; night watch?v=dQw4w9WgXcQ</p>');
      has(html, 'data-embed-src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"');
      has(
        html,
        '<p class="embed__consent" hidden><button type="button" class="embed__load">Load the video from YouTube</button>',
      );
      for (const never of ['<iframe', 'i.example', '<script>alert']) has(html, never, false);
    });

    it('keeps what the editor wrote and fills only what is missing', async () => {
      const res = await publish([
        {
          type: 'embed',
          provider: 'bluesky',
          url: 'https://bsky.app/profile/skerra.example/post/3kabcdefghijk',
          author: '@skerra',
        },
      ]);
      assert.equal(res.statusCode, 201, res.body);
      const block = res.json<PostJson>().body[0];
      assert.equal(block?.author, '@skerra');
      assert.equal(block?.title, 'Launch <day> & night 3kabcdefghijk');
    });

    it('shows a plain card when the provider cannot answer, and publishes anyway', async () => {
      const cases = [
        ['x', 'https://x.com/slow/status/11'],
        ['x', 'https://x.com/broken/status/12'],
        ['x', 'https://x.com/moved/status/13'],
        ['x', 'https://x.com/garbage/status/14'],
        ['x', 'https://x.com/huge/status/15'],
        ['tiktok', 'https://www.tiktok.com/@skerra/video/7300000000000000001'],
        ['vimeo', 'https://vimeo.com/76979871'],
        ['instagram', 'https://www.instagram.com/p/C1a2B3c4D5e/'],
      ] as const;
      for (const [id, url] of cases) {
        const started = Date.now();
        const res = await publish([{ type: 'embed', provider: id, url }]);
        assert.equal(res.statusCode, 201, `${url}: ${res.body}`);
        assert.deepEqual(res.json<PostJson>().body, [{ type: 'embed', provider: id, url }], url);
        assert.ok(Date.now() - started < 6_000, `${url} waited ${Date.now() - started} ms`);
      }
      // A failure is cached too: the provider that timed out is not asked again at once.
      const slowAsks = () => provider.asks.filter((a) => a.url?.includes('/slow/')).length;
      assert.equal(slowAsks(), 1);
      await publish([{ type: 'embed', provider: 'x', url: 'https://x.com/slow/status/11' }]);
      assert.equal(slowAsks(), 1);
      const html = (await t.call(null, 'GET', `/live/${slug}`)).body;
      has(html, '<span class="embed__author">X</span> <a href="https://x.com/broken/status/12"');
      has(html, 'data-embed-src="https://player.vimeo.com/video/76979871?dnt=1"');
    });

    it('drops an answer that is not text readers can be shown', async () => {
      const res = await publish([
        { type: 'embed', provider: 'x', url: 'https://x.com/nul/status/16' },
      ]);
      assert.equal(res.statusCode, 201, res.body);
      const block = res.json<PostJson>().body[0];
      assert.equal(block?.author, undefined);
      assert.equal(block?.title, 'Launch <day> & night 16');
    });

    it('checks only the embeds an edit brings, and refuses an unknown one', async () => {
      const res = await publish([aParagraph('Soon.')]);
      const post = res.json<PostJson>();
      const refused = await t.call('editor', 'PATCH', `${posts}/${post.id}`, {
        revision: post.revision,
        body: [
          aParagraph('Soon.'),
          { type: 'embed', provider: 'threads', url: 'https://threads.example/@a/post/abcdef' },
        ],
      });
      assert.equal(refused.statusCode, 422, refused.body);
      assert.deepEqual(
        refused.json<Problem>().errors.map((p) => p.field),
        ['/body/1/url'],
      );
      const read = await t.call(null, 'GET', `${posts}/${post.id}`);
      assert.equal(read.json<PostJson>().revision, 1, 'the refused edit changed nothing');
      const threads = {
        type: 'embed',
        provider: 'threads',
        url: 'https://www.threads.net/@skerra/post/C1a2B3c4D5e',
      };
      const edited = await t.call('editor', 'PATCH', `${posts}/${post.id}`, {
        revision: post.revision,
        body: [aParagraph('Soon.'), threads],
      });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.deepEqual(edited.json<PostJson>().body[1], threads);
    });

    it('checks permission before asking a provider about an edit', async () => {
      const mine = await t.call('contributor', 'POST', posts, {
        headline: 'Mine',
        body: [aParagraph('Countdown.')],
      });
      assert.equal(mine.statusCode, 201, mine.body);
      const post = mine.json<PostJson>();
      const asked = provider.asks.length;
      const url = 'https://www.youtube.com/watch?v=perm1234567';
      const edit = (revision: number) => ({
        revision,
        body: [aParagraph('Countdown.'), { type: 'embed', provider: 'youtube', url }],
      });
      const refused = await t.call(
        'otherContributor',
        'PATCH',
        `${posts}/${post.id}`,
        edit(post.revision),
      );
      assert.equal(refused.statusCode, 403, refused.body);
      assert.equal(refused.json<Problem>().code, 'FORBIDDEN');
      assert.deepEqual(provider.asks.slice(asked), [], 'no provider was asked for a refused edit');
      const missing = await t.call('editor', 'PATCH', `${posts}/${'z'.repeat(20)}`, edit(1));
      assert.equal(missing.statusCode, 404, missing.body);
      assert.deepEqual(provider.asks.slice(asked), [], 'nor for a post that does not exist');
      const read = await t.call(null, 'GET', `${posts}/${post.id}`);
      assert.equal(
        read.json<PostJson>().revision,
        post.revision,
        'the refused edit changed nothing',
      );
      // Its author may: then the provider is asked.
      const own = await t.call('contributor', 'PATCH', `${posts}/${post.id}`, edit(post.revision));
      assert.equal(own.statusCode, 200, own.body);
      assert.deepEqual(
        provider.asks.slice(asked).map((a) => a.url),
        [url],
      );
    });

    it('asks no provider for an edit that review mode refuses', async () => {
      await t.call('editor', 'POST', '/api/pages', { slug: 'reviewed', title: 'Reviewed' });
      const reviewed = '/api/pages/reviewed/posts';
      const mine = await t.call('contributor', 'POST', reviewed, {
        headline: 'Mine, published',
        body: [aParagraph('Countdown.')],
      });
      assert.equal(mine.statusCode, 201, mine.body);
      const post = mine.json<PostJson>();
      const page = await t.call('editor', 'GET', '/api/pages/reviewed');
      const review = await t.call('editor', 'PATCH', '/api/pages/reviewed', {
        revision: page.json<{ revision: number }>().revision,
        reviewMode: 'review',
      });
      assert.equal(review.statusCode, 200, review.body);
      const asked = provider.asks.length;
      const refused = await t.call('contributor', 'PATCH', `${reviewed}/${post.id}`, {
        revision: post.revision,
        body: [
          aParagraph('Countdown.'),
          {
            type: 'embed',
            provider: 'youtube',
            url: 'https://www.youtube.com/watch?v=review12345',
          },
        ],
      });
      assert.equal(refused.json<Problem>().code, 'REVIEW_REQUIRED', refused.body);
      assert.deepEqual(provider.asks.slice(asked), [], 'no provider was asked');
    });

    it('lets the desk look an address up before inserting it', async () => {
      const url = `/desk/api/embeds?url=${encodeURIComponent(YOUTUBE)}`;
      const found = await t.call('contributor', 'GET', url);
      assert.equal(found.statusCode, 200, found.body);
      const answer = found.json<{ block: Record<string, unknown>; html: string }>();
      assert.deepEqual(answer.block, {
        type: 'embed',
        provider: 'youtube',
        url: YOUTUBE,
        title: 'Launch <day> & night watch?v=dQw4w9WgXcQ',
        author: 'Skerra Head Spaceport',
      });
      assert.match(answer.html, /^<figure class="embed embed--youtube"/);
      const unknown = await t.call(
        'contributor',
        'GET',
        '/desk/api/embeds?url=https%3A%2F%2Fexample.com%2Fv',
      );
      assert.equal(unknown.statusCode, 422);
      assert.deepEqual(
        unknown.json<Problem>().errors.map((p) => p.field),
        ['/url'],
      );
      assert.match(
        unknown.body,
        /is not the address of a post Liveline can embed \(from [^)]*YouTube[^)]*\)/,
        'the sentence names the providers it knows',
      );
      // A provider that cannot answer: the plain block, which the reader shows as a card.
      const broken = 'https://x.com/broken/status/12';
      const plain = await t.call(
        'contributor',
        'GET',
        `/desk/api/embeds?url=${encodeURIComponent(broken)}`,
      );
      assert.equal(plain.statusCode, 200, plain.body);
      assert.deepEqual(plain.json<{ block: unknown }>().block, {
        type: 'embed',
        provider: 'x',
        url: broken,
      });
      assert.equal((await t.call(null, 'GET', url)).statusCode, 401);
    });

    it('frames only the players of the registry', async () => {
      const res = await t.call(null, 'GET', `/live/${slug}`);
      const csp = String(res.headers['content-security-policy']);
      const frameSrc = /frame-src ([^;]+)/.exec(csp)?.[1]?.split(' ');
      assert.deepEqual(frameSrc, playerOrigins());
      assert.deepEqual([...(frameSrc ?? [])].sort(), [
        'https://embed.bsky.app',
        'https://platform.twitter.com',
        'https://player.vimeo.com',
        'https://www.facebook.com',
        'https://www.instagram.com',
        'https://www.threads.com',
        'https://www.tiktok.com',
        'https://www.youtube-nocookie.com',
      ]);
    });

    it('makes a video with a poster the lead media of the page', async () => {
      const page = await t.call('editor', 'GET', `/api/pages/${slug}`);
      const leadMedia = {
        kind: 'video',
        src: 'https://cdn.example/kestrel/lead.mp4',
        poster: '/media/lead.jpg',
        caption: 'The pad at dawn',
      };
      const res = await t.call('editor', 'PATCH', `/api/pages/${slug}`, {
        revision: page.json<{ revision: number }>().revision,
        leadMedia,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json<{ leadMedia: unknown }>().leadMedia, leadMedia);
      const html = (await t.call(null, 'GET', `/live/${slug}`)).body;
      has(
        html,
        '<video class="media__video" controls preload="metadata" poster="/media/lead.jpg" playsinline><source src="https://cdn.example/kestrel/lead.mp4" type="video/mp4"/>',
      );
    });

    it('publishes a video with its poster for the browser’s own player', async () => {
      const video = {
        type: 'video',
        src: '/media/launch.m3u8',
        poster: '/media/launch.jpg',
        caption: 'The launch, from the cliffs',
      };
      const res = await publish([video]);
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json<PostJson>().body, [video]);
      const html = (await t.call(null, 'GET', `/live/${slug}`)).body;
      has(
        html,
        '<video class="media__video" controls preload="none" poster="/media/launch.jpg" playsinline><source src="/media/launch.m3u8" type="application/vnd.apple.mpegurl"/>',
      );
      const bad = await publish([{ ...video, poster: 'javascript:alert(1)' }]);
      assert.equal(bad.statusCode, 422);
      assert.deepEqual(
        bad.json<Problem>().errors.map((p) => p.field),
        ['body/body/0/poster'],
      );
    });
  });
}
