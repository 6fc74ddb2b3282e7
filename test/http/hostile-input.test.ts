import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { textProblem } from '../../src/domain/text-rule.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

/**
 * The class of defect: a value one database stores differently from the other, or cannot
 * store at all (a 500 on PostgreSQL). Every text field of every write route gets every
 * hostile string, on both databases, and must be refused with a problem naming the field,
 * writing nothing.
 */

const HOSTILE: Record<string, string> = {
  nul: 'before\u0000after',
  'lone high surrogate': 'a\ud800b',
  'lone low surrogate': '\udc00',
  'two high surrogates': '\ud800\ud800',
  'C0 control': 'bell\u0007',
  'U+FFFF': 'x\uffff',
};

type Json = Record<string, unknown>;

/** Sets the value at a JSON pointer, making a copy. */
function withValue(template: unknown, pointer: string, value: unknown): unknown {
  const copy = structuredClone(template) as Json;
  const keys = pointer.split('/').slice(1);
  let node: Json = copy;
  for (const key of keys.slice(0, -1)) node = node[key] as Json;
  node[keys.at(-1) as string] = value;
  return copy;
}

const newPage = {
  slug: 'hostile',
  title: 'Title',
  description: 'Description',
  summary: [{ text: 'Key point' }],
  leadMedia: { kind: 'image', alt: 'Alt', caption: 'Caption', credit: 'Credit' },
  timeZone: 'Europe/London',
};
const newPost = {
  headline: 'Headline',
  status: 'published',
  contributors: [{ name: 'Name', role: 'Role' }],
  body: [
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Text' },
        { type: 'link', text: 'Link', href: 'https://example.com/', external: true },
      ],
    },
    { type: 'quote', content: [{ type: 'text', text: 'Quote' }], attribution: 'Someone' },
    { type: 'list', items: [[{ type: 'text', text: 'Item' }]] },
    { type: 'image', alt: 'Alt', caption: 'Caption', credit: 'Credit' },
    { type: 'video', caption: 'Caption' },
    {
      type: 'embed',
      provider: 'x',
      url: 'https://x.com/a/status/1',
      text: 'Said',
      author: 'Author',
    },
  ],
};
const { slug: _slug, ...pageEdit } = newPage;

/** Every write route and the text fields of its body. */
const ROUTES: {
  name: string;
  method: 'POST' | 'PATCH';
  url: string;
  body: Json;
  fields: string[];
}[] = [
  {
    name: 'create page',
    method: 'POST',
    url: '/api/pages',
    body: newPage,
    fields: [
      '/slug',
      '/title',
      '/description',
      '/summary/0/text',
      '/leadMedia/alt',
      '/leadMedia/caption',
      '/leadMedia/credit',
      '/timeZone',
    ],
  },
  {
    name: 'edit page',
    method: 'PATCH',
    url: '/api/pages/storm',
    body: { revision: 1, ...pageEdit },
    fields: ['/title', '/description', '/summary/0/text', '/leadMedia/caption', '/timeZone'],
  },
  {
    name: 'publish post',
    method: 'POST',
    url: '/api/pages/storm/posts',
    body: newPost,
    fields: [
      '/headline',
      '/contributors/0/name',
      '/contributors/0/role',
      '/body/0/content/0/text',
      '/body/0/content/1/text',
      '/body/0/content/1/href',
      '/body/1/attribution',
      '/body/2/items/0/0/text',
      '/body/3/alt',
      '/body/3/caption',
      '/body/3/credit',
      '/body/4/caption',
      '/body/5/text',
      '/body/5/author',
    ],
  },
  {
    name: 'edit post',
    method: 'PATCH',
    url: '/api/pages/storm/posts/:id',
    body: { revision: 1, ...newPost },
    fields: ['/headline', '/contributors/0/name', '/body/0/content/0/text', '/body/3/alt'],
  },
];

/** Values that are not text but broke PostgreSQL (500) or were silently accepted. */
const BAD_VALUES: { route: string; field: string; value: unknown }[] = [
  { route: 'publish post', field: '/publishedAt', value: '2016-12-31T23:59:60Z' },
  { route: 'publish post', field: '/publishedAt', value: '0000-01-01T00:00:00Z' },
  { route: 'publish post', field: '/publishedAt', value: '0001-01-01T00:30:00+01:00' },
  { route: 'publish post', field: '/publishedAt', value: '2025-02-30T10:00:00Z' },
  { route: 'publish post', field: '/publishedAt', value: '2025-03-20T10:00:00+24:00' },
  { route: 'edit post', field: '/revision', value: 2 ** 53 },
  { route: 'edit post', field: '/revision', value: 1e308 },
  { route: 'edit page', field: '/revision', value: 2 ** 53 + 2 },
  { route: 'create page', field: '/textFormat', value: textFormat('2025-13-45') },
  { route: 'edit page', field: '/textFormat', value: textFormat('2025-02-29') },
];

function textFormat(captureDate: string) {
  return {
    zoneStyle: 'long',
    showYear: false,
    repeatTimeLine: false,
    streamPageLine: true,
    captureDate,
  };
}

interface Problem {
  code: string;
  status: number;
  errors?: { field: string; reason: string }[];
}

for (const adapter of await adapters()) {
  describe(
    `hostile input is refused everywhere: ${adapter.name}`,
    { skip: adapter.skip, timeout: 120_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      let postId = '';

      /** Everything a write could have touched: pages, published posts, change logs. */
      const snapshot = async () => {
        const pages = await t.services.store.listPages();
        return Promise.all(
          pages.map(async (page) => ({
            page,
            posts: await t.services.store.listPosts(page.id, 0, 1_000),
            changes: await t.services.store.changesSince(page.id, 0, 10_000),
          })),
        );
      };

      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestApp(opened.store);
        await t.call('editor', 'POST', '/api/pages', { slug: 'storm', title: 'Storm' });
        const post = await t.call('editor', 'POST', '/api/pages/storm/posts', newPost);
        assert.equal(post.statusCode, 201, post.body);
        postId = post.json<{ id: string }>().id;
      });
      after(async () => {
        await t.app.close();
        await drop();
      });

      /** The route's valid body at the current revision of what it edits. */
      const validBody = async (route: (typeof ROUTES)[number]): Promise<Json> => {
        if (route.method === 'POST') return route.body;
        const url =
          route.name === 'edit page' ? '/api/pages/storm' : `/api/pages/storm/posts/${postId}`;
        const { revision } = (await t.call('editor', 'GET', url)).json<{ revision: number }>();
        return { ...route.body, revision };
      };

      const refused = async (
        method: 'POST' | 'PATCH',
        url: string,
        body: unknown,
        field: string,
      ) => {
        const before = await snapshot();
        const res = await t.call('editor', method, url.replace(':id', postId), body);
        assert.equal(res.statusCode, 422, `${method} ${url} ${field}: ${res.body}`);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        const problem = res.json<Problem>();
        assert.equal(problem.code, 'VALIDATION_FAILED');
        assert.ok(
          problem.errors?.some(
            (e) => e.field === `body${field}` || e.field.startsWith(`body${field}/`),
          ),
          `${field} not named in ${res.body}`,
        );
        assert.deepEqual(await snapshot(), before, `${method} ${url} ${field} wrote something`);
      };

      it('a valid body passes on every route (the table is not refusing for another reason)', async () => {
        for (const route of ROUTES.filter((r) => r.method === 'PATCH')) {
          const current =
            route.name === 'edit page'
              ? (await t.call(null, 'GET', '/api/pages/storm')).json<{ revision: number }>()
              : (await t.call('editor', 'GET', `/api/pages/storm/posts/${postId}`)).json<{
                  revision: number;
                }>();
          const res = await t.call('editor', route.method, route.url.replace(':id', postId), {
            ...route.body,
            revision: current.revision,
          });
          assert.equal(res.statusCode, 200, `${route.name}: ${res.body}`);
        }
        const created = await t.call('editor', 'POST', '/api/pages', { ...newPage, slug: 'valid' });
        assert.equal(created.statusCode, 201, created.body);
      });

      for (const route of ROUTES) {
        it(`${route.name}: every text field refuses every hostile string`, async () => {
          for (const field of route.fields) {
            for (const [name, value] of Object.entries(HOSTILE)) {
              const body = withValue(await validBody(route), field, value);
              await refused(route.method, route.url, body, field).catch((error: Error) => {
                error.message = `${name}: ${error.message}`;
                throw error;
              });
            }
          }
        });
      }

      it('refuses leap seconds, year 0, impossible dates, unsafe revisions and bad capture dates', async () => {
        for (const bad of BAD_VALUES) {
          const route = ROUTES.find((r) => r.name === bad.route);
          assert.ok(route);
          await refused(
            route.method,
            route.url,
            withValue(await validBody(route), bad.field, bad.value),
            bad.field,
          );
        }
      });

      it('refuses a sequence number beyond 2^53 in /changes and the event stream, naming it', async () => {
        for (const url of ['/api/pages/storm/changes', '/live/storm/events']) {
          for (const since of ['1e20', '9007199254740992', '-1']) {
            const res = await t.call(null, 'GET', `${url}?since=${since}`);
            assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
            assert.equal(res.json<Problem>().errors?.[0]?.field, 'querystring/since');
          }
        }
      });

      it('any string is either stored and read back exactly, or refused with 422: never a 500', async () => {
        const unit = fc.oneof(
          fc.constantFrom('\u0000', '\u0007', '\ud800', '\udfff', '\ufffe', '\uffff', '\ufeff'),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
          fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
        );
        await fc.assert(
          fc.asyncProperty(fc.string({ unit, minLength: 1, maxLength: 40 }), async (text) => {
            const res = await t.call('editor', 'POST', '/api/pages/storm/posts', {
              headline: text,
              body: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
            });
            if (textProblem(text) !== null) {
              assert.equal(res.statusCode, 422, res.body);
              return;
            }
            assert.equal(res.statusCode, 201, res.body);
            const { id } = res.json<{ id: string }>();
            const back = (await t.call(null, 'GET', `/api/pages/storm/posts/${id}`)).json<{
              headline: string;
              body: { content: { text: string }[] }[];
            }>();
            assert.equal(back.headline, text);
            assert.equal(back.body[0]?.content[0]?.text, text);
          }),
          { numRuns: 150 },
        );
      });

      it('refuses hostile text in the import query and capture, writing nothing', async () => {
        // A lone surrogate cannot be percent-encoded: a URL decodes it to U+FFFD, which is text.
        const encodable = Object.values(HOSTILE).filter((v) => !/[\ud800-\udfff]/.test(v));
        for (const value of encodable) {
          const before = await snapshot();
          const res = await t.app.inject({
            method: 'POST',
            url: `/api/import?slug=imported&title=${encodeURIComponent(value)}`,
            headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'text/plain' },
            payload: 'Summary\n',
          });
          assert.equal(res.statusCode, 422, res.body);
          assert.equal(res.json<Problem>().errors?.[0]?.field, 'querystring/title');
          assert.deepEqual(await snapshot(), before);
        }
        // Text/plain bytes decode as UTF-8: NUL and controls arrive as they are, and are refused.
        for (const value of encodable) {
          const before = await snapshot();
          const capture = readFileSync('content/demo-live-page.txt', 'utf8').replace(
            'Tomasz Wren',
            `Tomasz ${value}`,
          );
          const res = await t.app.inject({
            method: 'POST',
            url: '/api/import?slug=imported&year=2025',
            headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'text/plain' },
            payload: capture,
          });
          assert.equal(res.statusCode, 422, res.body);
          assert.equal(res.json<Problem>().errors?.[0]?.field, 'body');
          assert.deepEqual(await snapshot(), before);
        }
        const fine = await t.app.inject({
          method: 'POST',
          url: '/api/import?slug=imported&year=2025',
          headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'text/plain' },
          payload: readFileSync('content/demo-live-page.txt', 'utf8'),
        });
        assert.equal(fine.statusCode, 201, fine.body.slice(0, 300));
      });
    },
  );
}
