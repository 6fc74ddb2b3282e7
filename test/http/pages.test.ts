import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startScheduledPage } from '../../src/services/pages.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';

describe('live pages over HTTP', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('creates a live page with an editor token and reads it back', async () => {
    const res = await t.call('editor', 'POST', '/api/pages', {
      slug: 'ukraine-talks',
      title: 'Ukraine peace talks',
      description: 'Follow the latest.',
      status: 'live',
      summary: [{ text: 'Talks continue in Riyadh' }],
      leadMedia: { kind: 'video', caption: 'How do Russians react?' },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.headers.location, '/api/pages/ukraine-talks');
    const page = res.json();
    assert.equal(page.status, 'live');
    assert.equal(page.timeZone, 'Europe/London');
    assert.equal(page.revision, 1);
    assert.ok(page.startedAt);

    const read = await t.call(null, 'GET', '/api/pages/ukraine-talks');
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), page);
    const list = await t.call(null, 'GET', '/api/pages');
    assert.deepEqual(
      list.json<{ pages: { slug: string }[] }>().pages.map((p) => p.slug),
      ['ukraine-talks'],
    );
  });

  it('lists live pages before scheduled and ended ones', async () => {
    await t.call('editor', 'POST', '/api/pages', {
      slug: 'later',
      title: 'Later',
      status: 'scheduled',
    });
    await t.call('editor', 'POST', '/api/pages', { slug: 'over', title: 'Over', status: 'ended' });
    const list = await t.call(null, 'GET', '/api/pages');
    assert.deepEqual(
      list.json<{ pages: { slug: string }[] }>().pages.map((p) => p.slug),
      ['ukraine-talks', 'later', 'over'],
    );
  });

  it('refuses a slug that is taken, and a malformed slug', async () => {
    const taken = await t.call('editor', 'POST', '/api/pages', {
      slug: 'ukraine-talks',
      title: 'Again',
    });
    assert.equal(taken.statusCode, 409);
    assert.equal(taken.json().code, 'SLUG_TAKEN');
    const bad = await t.call('editor', 'POST', '/api/pages', { slug: 'Not A Slug', title: 'x' });
    assert.equal(bad.statusCode, 422);
    assert.equal(bad.json<{ errors: { field: string }[] }>().errors[0]?.field, 'body/slug');
  });

  it('edits summary and status at the current revision, logging each change', async () => {
    const res = await t.call('editor', 'PATCH', '/api/pages/ukraine-talks', {
      revision: 1,
      summary: [{ text: 'One' }, { text: 'Two' }],
      status: 'ended',
    });
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json();
    assert.equal(page.revision, 2);
    assert.equal(page.status, 'ended');
    assert.ok(page.endedAt);
    const log = await t.call(null, 'GET', '/api/pages/ukraine-talks/changes?since=0');
    assert.deepEqual(
      log.json<{ changes: { kind: string; seq: number }[] }>().changes.map((c) => [c.seq, c.kind]),
      [
        [1, 'page.updated'],
        [2, 'page.status_changed'],
      ],
    );
  });

  it('answers a stale revision with 409 and changes nothing', async () => {
    const res = await t.call('editor', 'PATCH', '/api/pages/ukraine-talks', {
      revision: 1,
      title: 'Lost',
    });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().code, 'EDIT_CONFLICT');
    assert.equal(res.json().currentRevision, 2);
    assert.equal(res.json().detail, 'The page is at revision 2, not 1.');
    const page = (await t.call(null, 'GET', '/api/pages/ukraine-talks')).json();
    assert.equal(page.title, 'Ukraine peace talks');
    assert.equal(page.lastSeq, 2);
  });

  it('refuses an unknown time zone and going back to scheduled after coverage started', async () => {
    const zone = await t.call('editor', 'PATCH', '/api/pages/ukraine-talks', {
      revision: 2,
      timeZone: 'Mars/Olympus',
    });
    assert.equal(zone.statusCode, 422);
    assert.deepEqual(zone.json().errors, [
      { field: '/timeZone', reason: '"Mars/Olympus" is not an IANA time zone this server knows' },
    ]);
    const born = await t.call('editor', 'POST', '/api/pages', {
      slug: 'on-mars',
      title: 'On Mars',
      timeZone: 'Mars/Olympus',
    });
    assert.equal(born.statusCode, 422, 'a new page is held to the same zones');
    assert.equal((await t.call(null, 'GET', '/api/pages/on-mars')).statusCode, 404);
    const back = await t.call('editor', 'PATCH', '/api/pages/ukraine-talks', {
      revision: 2,
      status: 'scheduled',
    });
    assert.equal(back.statusCode, 422);
    assert.deepEqual(back.json().errors, [
      { field: '/status', reason: 'a page whose coverage has started cannot be scheduled again' },
    ]);
    assert.equal((await t.call(null, 'GET', '/api/pages/ukraine-talks')).json().revision, 2);
  });

  it('lets only editors and admins create or change pages', async () => {
    const anon = await t.call(null, 'POST', '/api/pages', { slug: 'anon', title: 'Anon' });
    assert.equal(anon.statusCode, 401);
    assert.equal(anon.headers['content-type'], 'application/problem+json; charset=utf-8');
    const contributor = await t.call('contributor', 'POST', '/api/pages', {
      slug: 'mine',
      title: 'Mine',
    });
    assert.equal(contributor.statusCode, 403);
    assert.equal(contributor.json().code, 'FORBIDDEN');
    assert.equal(contributor.json().detail, 'The contributor role may not create live pages.');
    const patch = await t.call('contributor', 'PATCH', '/api/pages/later', {
      revision: 1,
      title: 'Mine',
    });
    assert.equal(patch.statusCode, 403);
    assert.equal(patch.json().detail, 'The contributor role may not change a live page.');
    const admin = await t.call('admin', 'PATCH', '/api/pages/later', {
      revision: 1,
      status: 'live',
    });
    assert.equal(admin.statusCode, 200);
    const bogus = await t.call(
      null,
      'POST',
      '/api/pages',
      { slug: 'x', title: 'x' },
      { authorization: 'Bearer nope' },
    );
    assert.equal(bogus.statusCode, 401);
    assert.equal((await t.call(null, 'GET', '/api/pages/anon')).statusCode, 404);
  });

  it('gives a new page its defaults: scheduled, no time, London, direct publishing', async () => {
    const res = await t.call('editor', 'POST', '/api/pages', { slug: 'bare', title: 'Bare' });
    assert.equal(res.statusCode, 201, res.body);
    const page = res.json();
    assert.deepEqual(
      {
        description: page.description,
        status: page.status,
        summary: page.summary,
        leadMedia: page.leadMedia,
        timeZone: page.timeZone,
        reviewMode: page.reviewMode,
        scheduledFor: page.scheduledFor,
        startedAt: page.startedAt,
        endedAt: page.endedAt,
        textFormat: page.textFormat,
      },
      {
        description: '',
        status: 'scheduled',
        summary: [],
        leadMedia: null,
        timeZone: 'Europe/London',
        reviewMode: 'direct',
        scheduledFor: null,
        startedAt: null,
        endedAt: null,
        textFormat: (await t.call(null, 'GET', '/api/pages/ukraine-talks')).json().textFormat,
      },
    );
  });

  it('dates the coverage: started when it first goes out, ended when it ends, reopened', async () => {
    const at = (minute: number) => `2026-11-05T19:${String(minute).padStart(2, '0')}:00.000Z`;
    try {
      t.clock.set(at(0));
      const created = await t.call('editor', 'POST', '/api/pages', {
        slug: 'bonfire-night',
        title: 'Bonfire night',
        status: 'scheduled',
        scheduledFor: '2026-11-05T20:00:00+01:00',
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().scheduledFor, '2026-11-05T19:00:00.000Z', 'stored in UTC');
      const steps: [number, string][] = [
        [10, 'paused'],
        [20, 'live'],
        [30, 'ended'],
        [40, 'live'],
      ];
      const seen: unknown[] = [];
      let revision = Number(created.json().revision);
      for (const [minute, status] of steps) {
        t.clock.set(at(minute));
        const res = await t.call('editor', 'PATCH', '/api/pages/bonfire-night', {
          revision,
          status,
        });
        assert.equal(res.statusCode, 200, res.body);
        const page = res.json();
        revision = Number(page.revision);
        const read = (await t.call(null, 'GET', '/api/pages/bonfire-night')).json();
        assert.equal(page.lastSeq, read.lastSeq, 'the answer carries the newest sequence number');
        seen.push([status, page.startedAt, page.endedAt]);
      }
      assert.deepEqual(seen, [
        ['paused', at(10), null],
        ['live', at(10), null],
        ['ended', at(10), at(30)],
        ['live', at(10), null],
      ]);
      const log = await t.call(null, 'GET', '/api/pages/bonfire-night/changes?since=0');
      assert.deepEqual(
        log
          .json<{ changes: { kind: string; seq: number }[] }>()
          .changes.map((c) => [c.seq, c.kind]),
        [
          [1, 'page.status_changed'],
          [2, 'page.status_changed'],
          [3, 'page.status_changed'],
          [4, 'page.status_changed'],
        ],
        'a change of status alone is logged once, as a status change',
      );
      const cleared = await t.call('editor', 'PATCH', '/api/pages/bonfire-night', {
        revision,
        scheduledFor: null,
      });
      assert.equal(cleared.statusCode, 200, cleared.body);
      assert.equal(cleared.json().scheduledFor, null);
      assert.equal(cleared.json().lastSeq, 5);
    } finally {
      t.clock.release();
    }
  });

  it('writes nothing for an edit that changes nothing', async () => {
    const before = (await t.call(null, 'GET', '/api/pages/later')).json();
    const res = await t.call('editor', 'PATCH', '/api/pages/later', {
      revision: before.revision,
      title: before.title,
      status: before.status,
      summary: before.summary,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), before);
    const after = (await t.call(null, 'GET', '/api/pages/later')).json();
    assert.deepEqual([after.revision, after.lastSeq], [before.revision, before.lastSeq]);
  });

  it('goes live by itself at its time, once, when the scheduler looks', async () => {
    const at = (minute: number) => `2026-11-05T21:${String(minute).padStart(2, '0')}:00.000Z`;
    try {
      t.clock.set(at(0));
      const make = async (slug: string, fields: Record<string, unknown>) => {
        const res = await t.call('editor', 'POST', '/api/pages', { slug, title: slug, ...fields });
        assert.equal(res.statusCode, 201, res.body);
      };
      await make('fireworks', { status: 'scheduled', scheduledFor: at(30) });
      await make('no-time-yet', { status: 'scheduled' });
      await make('already-on', { status: 'paused', scheduledFor: at(10) });
      t.clock.set('2026-11-05T21:29:59.999Z');
      assert.equal(await startScheduledPage(t.services, 'fireworks'), false, 'not before its time');
      t.clock.set(at(30));
      assert.equal(await startScheduledPage(t.services, 'fireworks'), true, 'at its time');
      assert.equal(await startScheduledPage(t.services, 'fireworks'), false, 'only once');
      assert.equal(await startScheduledPage(t.services, 'no-time-yet'), false);
      assert.equal(await startScheduledPage(t.services, 'already-on'), false);
      const live = (await t.call(null, 'GET', '/api/pages/fireworks')).json();
      assert.deepEqual(
        [live.status, live.startedAt, live.endedAt, live.revision, live.lastSeq],
        ['live', at(30), null, 2, 1],
      );
      const log = await t.call(null, 'GET', '/api/pages/fireworks/changes?since=0');
      const changes = log.json<{ changes: { kind: string; page: { status: string } }[] }>().changes;
      assert.deepEqual(
        changes.map((c) => [c.kind, c.page.status]),
        [['page.status_changed', 'live']],
      );
      for (const slug of ['no-time-yet', 'already-on']) {
        const page = (await t.call(null, 'GET', `/api/pages/${slug}`)).json();
        assert.deepEqual([page.revision, page.lastSeq], [1, 0], `${slug} untouched`);
      }
    } finally {
      t.clock.release();
    }
  });

  it('refuses a lead picture from the library without its description', async () => {
    const media = 'a'.repeat(64);
    for (const alt of [undefined, '  ']) {
      const res = await t.call('editor', 'POST', '/api/pages', {
        slug: 'undescribed',
        title: 'Undescribed',
        leadMedia: {
          kind: 'image',
          media,
          caption: 'The scene',
          ...(alt !== undefined && { alt }),
        },
      });
      assert.equal(res.statusCode, 422, res.body);
      assert.deepEqual(res.json<{ errors: unknown[] }>().errors, [
        {
          field: '/leadMedia/alt',
          reason: 'describes the picture for people who cannot see it, and is required',
        },
      ]);
    }
    assert.equal((await t.call(null, 'GET', '/api/pages/undescribed')).statusCode, 404);
  });

  it('lists live pages first, then paused, scheduled and ended ones', async () => {
    const res = await t.call('editor', 'POST', '/api/pages', {
      slug: 'on-hold',
      title: 'On hold',
      status: 'paused',
    });
    assert.equal(res.statusCode, 201, res.body);
    const list = await t.call(null, 'GET', '/api/pages');
    const pages = list.json<{ pages: { slug: string; status: string }[] }>().pages;
    assert.deepEqual(
      pages.map((p) => p.status),
      ['live', 'live', 'live', 'paused', 'paused', 'scheduled', 'scheduled', 'ended', 'ended'],
    );
  });

  it('answers an unknown page with a 404 problem', async () => {
    const res = await t.call(null, 'GET', '/api/pages/nowhere');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'PAGE_NOT_FOUND');
    assert.equal(res.json().status, 404);
    assert.equal(res.json().detail, 'No live page has the slug "nowhere".');
  });

  it('keeps what a new page is given, and an edit’s time zone and time in UTC', async () => {
    const leadMedia = {
      kind: 'image',
      src: 'https://ichef.bbci.co.uk/news/1024/summit.jpg',
      alt: 'Leaders at the summit',
      caption: 'The summit opened on Monday',
      credit: 'Reuters',
    };
    const res = await t.call('editor', 'POST', '/api/pages', {
      slug: 'election-night',
      title: 'Election night',
      status: 'scheduled',
      leadMedia,
      timeZone: 'America/New_York',
      reviewMode: 'review',
    });
    assert.equal(res.statusCode, 201, res.body);
    const made = (await t.call(null, 'GET', '/api/pages/election-night')).json();
    assert.deepEqual(
      [made.leadMedia, made.timeZone, made.reviewMode],
      [leadMedia, 'America/New_York', 'review'],
    );
    const edit = await t.call('editor', 'PATCH', '/api/pages/election-night', {
      revision: made.revision,
      timeZone: 'Asia/Kolkata',
      scheduledFor: '2026-11-03T19:00:00-05:00',
    });
    assert.equal(edit.statusCode, 200, edit.body);
    const edited = (await t.call(null, 'GET', '/api/pages/election-night')).json();
    assert.deepEqual(
      [edited.timeZone, edited.scheduledFor, edited.revision],
      ['Asia/Kolkata', '2026-11-04T00:00:00.000Z', made.revision + 1],
    );
  });

  it('lets a lead video and a picture by address go undescribed, but not a foreign address', async () => {
    const media = 'b'.repeat(64);
    const undescribed = [
      { kind: 'video', media, caption: 'Crowds gather' },
      { kind: 'image', src: 'https://ichef.bbci.co.uk/news/1024/crowd.jpg', caption: 'Crowds' },
    ];
    for (const [i, leadMedia] of undescribed.entries()) {
      const res = await t.call('editor', 'POST', '/api/pages', {
        slug: `undescribed-${i}`,
        title: 'Undescribed',
        leadMedia,
      });
      assert.equal(res.statusCode, 201, res.body);
    }
    const foreign = await t.call('editor', 'POST', '/api/pages', {
      slug: 'foreign',
      title: 'Foreign',
      leadMedia: { kind: 'image', src: 'http://plain.example/a.jpg', alt: 'A', caption: 'A' },
    });
    assert.equal(foreign.statusCode, 422, foreign.body);
    assert.deepEqual(
      foreign.json<{ errors: { field: string }[] }>().errors.map((e) => e.field),
      ['/leadMedia/src'],
    );
    assert.equal((await t.call(null, 'GET', '/api/pages/foreign')).statusCode, 404);
  });

  it('dates coverage only by a change of status, never by an edit of other fields', async () => {
    for (const [slug, status] of [
      ['not-yet', 'scheduled'],
      ['all-over', 'ended'],
    ]) {
      const made = await t.call('editor', 'POST', '/api/pages', { slug, title: slug, status });
      assert.equal(made.statusCode, 201, made.body);
      const before = made.json();
      const res = await t.call('editor', 'PATCH', `/api/pages/${slug}`, {
        revision: before.revision,
        title: `${slug}, retitled`,
      });
      assert.equal(res.statusCode, 200, res.body);
      const after = res.json();
      assert.deepEqual(
        [after.title, after.startedAt, after.endedAt],
        [`${slug}, retitled`, before.startedAt, before.endedAt],
        slug,
      );
    }
  });

  it('makes one page for a repeated Idempotency-Key, and answers the repeat as the first', async () => {
    const key = { 'idempotency-key': 'new-page-once' };
    const body = { slug: 'once-only', title: 'Once only' };
    const first = await t.call('editor', 'POST', '/api/pages', body, key);
    assert.equal(first.statusCode, 201, first.body);
    const again = await t.call('editor', 'POST', '/api/pages', body, key);
    assert.equal(again.statusCode, 201, again.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.json(), first.json());
    const other = await t.call('editor', 'POST', '/api/pages', body, { 'idempotency-key': 'x' });
    assert.equal(other.json().code, 'SLUG_TAKEN', 'another key is another request');
  });

  it('lists live pages first on the front page, then paused, coming up and ended', async () => {
    // The store lists the newest first: made in the front page's own order, they come out of
    // it reversed, so only the front page's ordering can put them right.
    for (const [slug, status] of [
      ['order-live', 'live'],
      ['order-paused', 'paused'],
      ['order-scheduled', 'scheduled'],
      ['order-ended', 'ended'],
    ] as const) {
      const res = await t.call('editor', 'POST', '/api/pages', { slug, title: slug, status });
      assert.equal(res.statusCode, 201, res.body);
    }
    const index = (await t.call(null, 'GET', '/')).body;
    const listed = [...index.matchAll(/<a href="\/live\/(order-[a-z]+)"/g)].map((m) => m[1]);
    assert.deepEqual(listed, ['order-live', 'order-paused', 'order-scheduled', 'order-ended']);
  });

  it('dates each page on the front page by its newest post, else its start, else its making', async () => {
    const at = (minute: number) => `2026-11-06T09:${String(minute).padStart(2, '0')}:00.000Z`;
    try {
      t.clock.set(at(0));
      for (const slug of ['front-posted', 'front-started', 'front-waiting']) {
        const res = await t.call('editor', 'POST', '/api/pages', { slug, title: slug });
        assert.equal(res.statusCode, 201, res.body);
      }
      t.clock.set(at(10));
      for (const slug of ['front-posted', 'front-started']) {
        const res = await t.call('editor', 'PATCH', `/api/pages/${slug}`, {
          revision: 1,
          status: 'live',
        });
        assert.equal(res.statusCode, 200, res.body);
      }
      t.clock.set(at(20));
      const post = await t.call('editor', 'POST', '/api/pages/front-posted/posts', {
        headline: 'First',
        body: [aParagraph('It begins.')],
      });
      assert.equal(post.statusCode, 201, post.body);
      t.clock.set(at(30));
      const index = (await t.call(null, 'GET', '/')).body;
      const dated = (slug: string) =>
        new RegExp(`/live/${slug}"(?:(?!</li>).)*?<time datetime="([^"]+)"`, 's').exec(index)?.[1];
      assert.deepEqual(['front-posted', 'front-started', 'front-waiting'].map(dated), [
        at(20),
        at(10),
        at(0),
      ]);
    } finally {
      t.clock.release();
    }
  });
});
