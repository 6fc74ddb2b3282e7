import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Body, EMBED_PROVIDERS, UNKNOWN_LINK_HREF } from './blocks.ts';
import { LIMITS } from './limits.ts';
import { compileChecker, toFieldProblems } from './validate.ts';

/**
 * What a post's body may hold, block type by block type: what a newsroom may write, and the
 * problem it reads for what it may not (each field's limit, the links and media addresses a
 * reader's browser may be sent to, unknown fields). The HTTP suites send a few bodies through
 * the routes; the shapes are pinned here.
 */

const OPTIONS = { timeout: 10_000 };
const checkBody = compileChecker(Body, false);

function accepts(body: unknown[], what: string) {
  const ok = checkBody(body);
  assert.ok(ok, `${what}: ${JSON.stringify(toFieldProblems(checkBody.errors ?? []))}`);
}

/** The problems of a body that must be refused. */
function problems(body: unknown[]) {
  assert.equal(checkBody(body), false, `should be refused: ${JSON.stringify(body).slice(0, 200)}`);
  return toFieldProblems(checkBody.errors ?? []);
}

function refuses(body: unknown[], field: string, reason: string) {
  assert.deepEqual(problems(body), [{ field, reason }]);
}

const text = (t: string, marks: object = {}) => ({ type: 'text', text: t, ...marks });
const link = (t: string, href: string, external = true) => ({
  type: 'link',
  text: t,
  href,
  external,
});
const paragraph = (...content: unknown[]) => ({ type: 'paragraph', content });
const image = (fields: object = {}) => ({ type: 'image', alt: 'Crowds outside', ...fields });
const tooLong = (limit: number) => `must NOT have more than ${limit} characters`;
const MEDIA_ID = 'ab'.repeat(32);

describe('a post body: the block types a newsroom writes', OPTIONS, () => {
  it('accepts every block type in its fullest form', () => {
    accepts(
      [
        paragraph(text('Bold', { bold: true, italic: true }), link('BBC', 'https://bbc.co.uk')),
        {
          type: 'quote',
          content: [text('We will not resign')],
          attribution: 'Prime minister',
        },
        { type: 'list', items: [[text('One')], [link('Mail us', 'mailto:news@bbc.co.uk')]] },
        image({
          src: 'https://ichef.bbci.co.uk/a.jpg',
          media: MEDIA_ID,
          caption: 'Outside',
          credit: 'PA',
          width: 1,
          height: 20_000,
        }),
        {
          type: 'video',
          src: '/media/clip.mp4',
          provider: 'youtube',
          providerId: 'dQw4w9WgXcQ_-',
          caption: 'Watch',
          poster: '/media/still.jpg',
        },
        { type: 'video', provider: 'bbc', providerId: 'p0abc123' },
        {
          type: 'embed',
          provider: 'x',
          url: 'https://x.com/bbc/status/1',
          text: 'A post',
          author: 'BBC News',
          title: 'Statement',
        },
        { type: 'gallery', images: [image({ src: '/media/a.jpg', width: 20_000, height: 1 })] },
      ],
      'every block',
    );
  });

  it('accepts an embed from each provider the desk recognises', () => {
    assert.deepEqual(
      [...EMBED_PROVIDERS],
      [
        'x',
        'truthsocial',
        'telegram',
        'youtube',
        'instagram',
        'vimeo',
        'bluesky',
        'tiktok',
        'facebook',
        'threads',
      ],
    );
    for (const provider of EMBED_PROVIDERS) {
      accepts([{ type: 'embed', provider, url: 'https://example.com/p/1' }], provider);
    }
    refuses(
      [{ type: 'embed', provider: 'myspace', url: 'https://example.com/p/1' }],
      '/0/provider',
      'must be equal to constant',
    );
  });

  it('accepts the link a text capture gives when it does not know where a link led', () => {
    accepts([paragraph(link('as reported', UNKNOWN_LINK_HREF))], 'unknown link');
    assert.ok(new URL(UNKNOWN_LINK_HREF).hostname.endsWith('.invalid'));
  });

  it('refuses a block of a type it does not know', () => {
    refuses([{ type: 'table' }], '/0', 'is not any of the accepted forms');
    refuses(
      [paragraph({ type: 'emoji', text: 'x' })],
      '/0/content/0',
      'is not any of the accepted forms',
    );
  });
});

describe('where a post may send a reader', OPTIONS, () => {
  it('links only to the web or an e-mail address', () => {
    for (const href of ['https://bbc.co.uk/news', 'http://example.com', 'mailto:a@b.c']) {
      accepts([paragraph(link('x', href))], href);
    }
    const pattern = 'must match pattern "^(https?://|mailto:)\\S+$"';
    for (const href of ['javascript:alert(1)', '/relative', 'https://', 'https://a b', 'ftp://x']) {
      refuses([paragraph(link('x', href))], '/0/content/0/href', pattern);
    }
  });

  it('shows media from the web or from Liveline itself, never another host by "//"', () => {
    for (const src of ['https://ichef.bbci.co.uk/a.jpg', 'http://a.b/c.png', '/media/a.jpg']) {
      accepts([image({ src })], src);
      accepts([{ type: 'video', src, poster: src }], src);
    }
    const pattern = 'must match pattern "^(https?://|/(?![/\\\\]))\\S+$"';
    for (const src of ['//evil.example/a.jpg', '/\\evil.example/a.jpg', 'javascript:x', 'a.jpg']) {
      refuses([image({ src })], '/0/src', pattern);
      refuses([{ type: 'video', src }], '/0/src', pattern);
      refuses([{ type: 'video', poster: src }], '/0/poster', pattern);
    }
  });

  it('embeds only https addresses of the providers, and pictures by their content id', () => {
    refuses(
      [{ type: 'embed', provider: 'x', url: 'http://x.com/bbc/status/1' }],
      '/0/url',
      'must match pattern "^https://\\S+$"',
    );
    refuses([image({ media: 'AB'.repeat(32) })], '/0/media', 'must match pattern "^[0-9a-f]{64}$"');
    refuses(
      [{ type: 'video', provider: 'youtube', providerId: 'a/b' }],
      '/0/providerId',
      'must match pattern "^[A-Za-z0-9_-]+$"',
    );
    refuses([{ type: 'video', provider: 'vimeo' }], '/0/provider', 'must be equal to constant');
  });
});

describe('every field has a limit', OPTIONS, () => {
  const url = (limit: number) => `https://example.com/${'a'.repeat(limit - 20)}`;

  it('refuses each text field one character over its limit, naming it', () => {
    const cases: [unknown, string, number][] = [
      [
        { type: 'quote', content: [], attribution: 'x'.repeat(LIMITS.contributorRole + 1) },
        '/0/attribution',
        LIMITS.contributorRole,
      ],
      [image({ alt: 'x'.repeat(LIMITS.alt + 1) }), '/0/alt', LIMITS.alt],
      [image({ caption: 'x'.repeat(LIMITS.caption + 1) }), '/0/caption', LIMITS.caption],
      [image({ credit: 'x'.repeat(LIMITS.credit + 1) }), '/0/credit', LIMITS.credit],
      [image({ src: url(LIMITS.url + 1) }), '/0/src', LIMITS.url],
      [{ type: 'video', src: url(LIMITS.url + 1) }, '/0/src', LIMITS.url],
      [{ type: 'video', poster: url(LIMITS.url + 1) }, '/0/poster', LIMITS.url],
      [{ type: 'video', caption: 'x'.repeat(LIMITS.caption + 1) }, '/0/caption', LIMITS.caption],
      [{ type: 'video', providerId: 'a'.repeat(201) }, '/0/providerId', 200],
      [{ type: 'embed', provider: 'x', url: url(LIMITS.url + 1) }, '/0/url', LIMITS.url],
      [
        { type: 'embed', provider: 'x', url: 'https://x.com/1', author: 'x'.repeat(101) },
        '/0/author',
        LIMITS.contributorName,
      ],
      [
        { type: 'embed', provider: 'x', url: 'https://x.com/1', title: 'x'.repeat(301) },
        '/0/title',
        LIMITS.headline,
      ],
      [paragraph(link('x', url(LIMITS.url + 1))), '/0/content/0/href', LIMITS.url],
    ];
    for (const [block, field, limit] of cases) {
      refuses([block], field, tooLong(limit));
    }
  });

  it('names a run, link or embed text over its own limit as well as the post over its total', () => {
    const long = 'x'.repeat(LIMITS.inlineText + 1);
    const total = {
      field: '/',
      reason: `must hold at most ${LIMITS.postText} characters of text in all`,
    };
    for (const [block, field] of [
      [paragraph(text(long)), '/0/content/0/text'],
      [paragraph(link(long, 'https://bbc.co.uk')), '/0/content/0/text'],
      [{ type: 'embed', provider: 'x', url: 'https://x.com/1', text: long }, '/0/text'],
    ] as const) {
      assert.deepEqual(problems([block]), [total, { field, reason: tooLong(LIMITS.inlineText) }]);
    }
  });

  it('takes the longest fields at their limits', () => {
    accepts(
      [
        { type: 'quote', content: [], attribution: 'x'.repeat(LIMITS.contributorRole) },
        image({ alt: 'x'.repeat(LIMITS.alt), credit: 'x'.repeat(LIMITS.credit) }),
        { type: 'video', providerId: 'a'.repeat(200), src: url(LIMITS.url) },
      ],
      'fields at their limits',
    );
  });

  it('refuses an empty link text, an empty list and an empty gallery', () => {
    refuses(
      [paragraph(link('', 'https://bbc.co.uk'))],
      '/0/content/0/text',
      'must NOT have fewer than 1 characters',
    );
    refuses([{ type: 'list', items: [] }], '/0/items', 'must NOT have fewer than 1 items');
    refuses([{ type: 'gallery', images: [] }], '/0/images', 'must NOT have fewer than 1 items');
  });

  it('refuses a picture of no pixels or wider or taller than 20,000', () => {
    for (const size of [{ width: 0 }, { height: 0 }]) {
      const [key] = Object.keys(size);
      refuses([image(size)], `/0/${key}`, 'must be >= 1');
    }
    for (const size of [{ width: 20_001 }, { height: 20_001 }]) {
      const [key] = Object.keys(size);
      refuses([image(size)], `/0/${key}`, 'must be <= 20000');
    }
    refuses([image({ width: 1.5 })], '/0/width', 'must be integer');
  });

  it('counts the runs, list items, pictures and blocks', () => {
    const runs = (n: number) => Array.from({ length: n }, () => text(''));
    accepts([paragraph(...runs(LIMITS.inlineRuns))], 'runs at the limit');
    refuses(
      [paragraph(...runs(LIMITS.inlineRuns + 1))],
      '/0/content',
      `must NOT have more than ${LIMITS.inlineRuns} items`,
    );
    refuses(
      [{ type: 'quote', content: runs(LIMITS.inlineRuns + 1) }],
      '/0/content',
      `must NOT have more than ${LIMITS.inlineRuns} items`,
    );
    const items = (n: number) => Array.from({ length: n }, () => []);
    accepts([{ type: 'list', items: items(LIMITS.listItems) }], 'items at the limit');
    refuses(
      [{ type: 'list', items: items(LIMITS.listItems + 1) }],
      '/0/items',
      `must NOT have more than ${LIMITS.listItems} items`,
    );
    const images = (n: number) => Array.from({ length: n }, () => image());
    accepts([{ type: 'gallery', images: images(LIMITS.galleryImages) }], 'pictures at the limit');
    refuses(
      [{ type: 'gallery', images: images(LIMITS.galleryImages + 1) }],
      '/0/images',
      `must NOT have more than ${LIMITS.galleryImages} items`,
    );
    const blocks = (n: number) => Array.from({ length: n }, () => paragraph());
    accepts(blocks(LIMITS.blocks), 'blocks at the limit');
    refuses(blocks(LIMITS.blocks + 1), '/', `must NOT have more than ${LIMITS.blocks} items`);
  });

  it('bounds a whole post: its text and its parts in all', () => {
    const each = LIMITS.postText / 5;
    const body = Array.from({ length: 5 }, () => paragraph(text('x'.repeat(each))));
    accepts(body, 'text at the limit');
    refuses(
      [...body, paragraph(text('x'))],
      '/',
      `must hold at most ${LIMITS.postText} characters of text in all`,
    );
    // 1 (the body) + 30 blocks of 1 + 1 (runs) + 8 runs = 301 parts.
    const parts = Array.from({ length: 30 }, () =>
      paragraph(...Array.from({ length: 8 }, () => text(''))),
    );
    refuses(parts, '/', `must have at most ${LIMITS.postNodes} parts (blocks, runs, items) in all`);
  });
});

describe('no field a renderer does not know', OPTIONS, () => {
  it('refuses an unknown field in each block type and in each kind of run', () => {
    const blocks: [unknown, string][] = [
      [paragraph(), '/0/style'],
      [{ type: 'quote', content: [] }, '/0/style'],
      [{ type: 'list', items: [[]] }, '/0/style'],
      [image(), '/0/style'],
      [{ type: 'video' }, '/0/style'],
      [{ type: 'embed', provider: 'x', url: 'https://x.com/1' }, '/0/style'],
      [{ type: 'gallery', images: [image()] }, '/0/style'],
    ];
    for (const [block, field] of blocks) {
      refuses([{ ...(block as object), style: 'red' }], field, 'is not a known field');
    }
    refuses(
      [paragraph({ ...text('x'), style: 'red' })],
      '/0/content/0/style',
      'is not a known field',
    );
    refuses(
      [paragraph({ ...link('x', 'https://bbc.co.uk'), style: 'red' })],
      '/0/content/0/style',
      'is not a known field',
    );
    refuses(
      [{ type: 'gallery', images: [{ ...image(), style: 'red' }] }],
      '/0/images/0/style',
      'is not a known field',
    );
  });

  it('needs a link to say whether it leaves the site', () => {
    const { external: _, ...noExternal } = link('x', 'https://bbc.co.uk');
    refuses([paragraph(noExternal)], '/0/content/0/external', 'is required');
  });
});
