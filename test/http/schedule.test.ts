import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildApp } from '../../src/app.ts';
import { MemoryBus } from '../../src/bus/memory/memory-bus.ts';
import type { FaultLog } from '../../src/log.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { publishScheduledPost } from '../../src/services/schedule.ts';
import { serviceDeps, type ServiceDeps } from '../../src/services/deps.ts';
import { connectPostgres } from '../../src/store/postgres/connect.ts';
import type { Store } from '../../src/store/store.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { aParagraph } from '../support/factories.ts';
import { TEST_DATABASE_URL } from '../support/postgres.ts';

type Json = Record<string, unknown>;

const T0 = '2026-03-20T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const quiet = { info() {}, warn() {}, error() {} };

/**
 * Scheduling over HTTP, on every database: a scheduled post is not public until its time;
 * then a tick publishes it exactly once (logged once, its history says the scheduler did),
 * even when two instances tick together over one database, and even when no instance ran
 * at its time (the first to start publishes it, late, and says so). A publish dated in the
 * future is refused: that is a schedule.
 */
for (const adapter of await adapters()) {
  describe(`scheduling: ${adapter.name}`, { skip: adapter.skip, timeout: 90_000 }, () => {
    let t: TestApp;
    let drop: () => Promise<void>;
    let second: Store;
    let scheduler: Scheduler;
    before(async () => {
      const opened = await adapter.open();
      drop = opened.drop;
      t = await startTestApp(opened.store);
      t.clock.set(T0);
      const schema = (opened as { schema?: string }).schema;
      // A second instance: its own pool over the same PostgreSQL schema (SQLite: one file).
      second = schema
        ? await connectPostgres(TEST_DATABASE_URL, { schema, maxConnections: 3 })
        : opened.store;
      scheduler = new Scheduler(t.services, { everyMs: 1000, log: quiet });
      await t.call('editor', 'POST', '/api/pages', { slug: 'vote', title: 'Vote', status: 'live' });
    });
    after(async () => {
      await t.app.close();
      if (second !== t.services.store) await second.close();
      await drop();
    });

    const page = async (slug = 'vote') =>
      (await t.call(null, 'GET', `/api/pages/${slug}`)).json<Json>();
    const history = async (postId: string, slug = 'vote') => {
      const p = await t.services.store.getPage(slug);
      return t.services.store.listHistory(p!.id, postId);
    };
    const changes = async (slug = 'vote') =>
      (await t.call(null, 'GET', `/api/pages/${slug}/changes?since=0`)).json<{
        changes: Json[];
      }>().changes;
    const schedule = async (headline: string, when: string, slug = 'vote') => {
      const res = await t.call('editor', 'POST', `/api/pages/${slug}/posts`, {
        headline,
        body: [aParagraph(headline)],
        status: 'scheduled',
        scheduledFor: when,
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json<Json>();
    };

    it('publishes a scheduled post once, at its time, by the scheduler', async () => {
      const post = await schedule('Polls close', at(60));
      assert.equal(post.status, 'scheduled');
      assert.equal(post.scheduledFor, at(60));
      const id = String(post.id);
      assert.equal((await t.call(null, 'GET', `/api/pages/vote/posts/${id}`)).statusCode, 404);
      assert.equal((await scheduler.tick()).published, 0, 'not due yet');
      t.clock.set(at(59));
      assert.equal((await scheduler.tick()).published, 0);
      assert.equal((await t.call(null, 'GET', '/live/vote')).body.includes('Polls close'), false);

      t.clock.set(new Date(Date.parse(at(60)) + 800).toISOString());
      assert.deepEqual(await scheduler.tick(), { published: 1, pagesStarted: 0, failed: 0 });
      assert.deepEqual(await scheduler.tick(), { published: 0, pagesStarted: 0, failed: 0 });
      const read = await t.call(null, 'GET', `/api/pages/vote/posts/${id}`);
      assert.equal(read.statusCode, 200);
      assert.equal(read.json().publishedAt, at(60), 'on time: it shows its scheduled time');
      assert.equal(read.json().scheduledFor, null);
      assert.equal((await t.call(null, 'GET', '/live/vote')).body.includes('Polls close'), true);
      assert.equal((await page()).postCount, 1);
      const logged = (await changes()).filter((c) => c.postId === id);
      assert.deepEqual(
        logged.map((c) => c.kind),
        ['post.published'],
      );
      const steps = await history(id);
      assert.deepEqual(
        steps.map((s) => [s.action, s.actor, s.note]),
        [
          ['scheduled', steps[0]!.actor, 'Scheduled for 09:00 Greenwich Mean Time, 20 March 2026'],
          ['published', { kind: 'system', name: 'scheduler' }, null],
        ],
      );
      assert.equal(steps[0]!.actor.kind, 'user');
      // The audit log names the scheduler too.
      const audit = await t.call('admin', 'GET', '/desk/api/audit?page=vote');
      const [newest] = audit.json<{ entries: { action: string; actor: { name: string } }[] }>()
        .entries;
      assert.deepEqual([newest?.action, newest?.actor.name], ['post.publish', 'scheduler']);
    });

    it('schedules, reschedules and unschedules a draft through the explicit actions', async () => {
      t.clock.set(at(100));
      const draft = await t.call('contributor', 'POST', '/api/pages/vote/posts', {
        headline: 'Turnout figures',
        body: [aParagraph('x')],
        status: 'draft',
      });
      const id = String(draft.json().id);
      const past = await t.call('editor', 'POST', `/api/pages/vote/posts/${id}/schedule`, {
        revision: 1,
        at: at(99),
      });
      assert.equal(past.statusCode, 422, 'a time that has passed is a publish');
      const scheduled = await t.call('editor', 'POST', `/api/pages/vote/posts/${id}/schedule`, {
        revision: 1,
        at: at(130),
      });
      assert.equal(scheduled.statusCode, 200, scheduled.body);
      const moved = await t.call('editor', 'PATCH', `/api/pages/vote/posts/${id}`, {
        revision: 1,
        scheduledFor: at(140),
      });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(moved.json().scheduledFor, at(140));
      t.clock.set(at(135));
      assert.equal((await scheduler.tick()).published, 0, 'rescheduled: not due at the old time');
      const back = await t.call('editor', 'POST', `/api/pages/vote/posts/${id}/unschedule`, {
        revision: 1,
      });
      assert.equal(back.statusCode, 200, back.body);
      assert.equal(back.json().status, 'draft');
      assert.equal(back.json().scheduledFor, null);
      t.clock.set(at(200));
      assert.equal((await scheduler.tick()).published, 0, 'unscheduled: never published');
      assert.deepEqual(
        (await history(id)).map((s) => s.action),
        ['created', 'scheduled', 'scheduled', 'unscheduled'],
      );
      assert.equal((await changes()).filter((c) => c.postId === id).length, 0);
    });

    it('refuses a publish dated in the future (422, naming /publishedAt), writing nothing', async () => {
      t.clock.set(at(300));
      const before = await page();
      const res = await t.call('editor', 'POST', '/api/pages/vote/posts', {
        headline: 'From the future',
        body: [aParagraph('x')],
        publishedAt: at(310),
      });
      assert.equal(res.statusCode, 422);
      const problem = res.json<{ errors: { field: string; reason: string }[] }>();
      assert.equal(problem.errors[0]?.field, '/publishedAt');
      assert.match(problem.errors[0]?.reason ?? '', /schedul/);
      // A few seconds of clock skew is not the future.
      const skewed = await t.call('editor', 'POST', '/api/pages/vote/posts', {
        headline: 'Just now',
        body: [aParagraph('x')],
        publishedAt: new Date(Date.parse(at(300)) + 20_000).toISOString(),
      });
      assert.equal(skewed.statusCode, 201);
      // Nor may an edit move a published post into the future.
      const edit = await t.call('editor', 'PATCH', `/api/pages/vote/posts/${skewed.json().id}`, {
        revision: 1,
        publishedAt: at(400),
      });
      assert.equal(edit.statusCode, 422);
      const after = await page();
      assert.equal(after.postCount, Number(before.postCount) + 1);
      assert.equal(after.lastSeq, Number(before.lastSeq) + 1, 'only the skewed post was logged');
      const all = await t.services.store.listDeskPosts(
        (await t.services.store.getPage('vote'))!.id,
        100,
      );
      assert.equal(
        all.some((p) => p.headline === 'From the future'),
        false,
      );
    });

    it('takes a scheduled page live at its time, logged like a manual change', async () => {
      t.clock.set(at(400));
      const created = await t.call('editor', 'POST', '/api/pages', {
        slug: 'count',
        title: 'The count',
        status: 'scheduled',
        scheduledFor: at(420),
      });
      assert.equal(created.statusCode, 201, created.body);
      assert.equal(created.json().scheduledFor, at(420));
      assert.equal((await scheduler.tick()).pagesStarted, 0);
      t.clock.set(at(421));
      assert.equal((await scheduler.tick()).pagesStarted, 1);
      assert.equal((await scheduler.tick()).pagesStarted, 0);
      const live = await page('count');
      assert.equal(live.status, 'live');
      assert.equal(live.startedAt, at(421));
      assert.deepEqual(
        (await changes('count')).map((c) => c.kind),
        ['page.status_changed'],
      );
    });

    it('publishes each of 20 due posts exactly once when two instances tick together', async () => {
      t.clock.set(at(500));
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) ids.push(String((await schedule(`Result ${i}`, at(501))).id));
      const before = await page();
      t.clock.set(at(502));
      const otherInstance: ServiceDeps = serviceDeps({
        store: second,
        bus: new MemoryBus(),
        now: t.clock.now,
      });
      const a = scheduler;
      const b = new Scheduler(otherInstance, { everyMs: 1000, log: quiet });
      let published = 0;
      for (let round = 0; round < 3; round++) {
        const results = await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
        for (const r of results) assert.equal(r.failed, 0);
        // a.tick() twice in one round is the same pass: count it once.
        published += results[0]!.published + results[1]!.published;
      }
      assert.equal(published, 20, 'each due post published by one instance');
      const after = await page();
      assert.equal(after.postCount, Number(before.postCount) + 20);
      const log = (await changes()).filter((c) => ids.includes(String(c.postId)));
      assert.equal(log.length, 20);
      assert.ok(log.every((c) => c.kind === 'post.published'));
      for (const id of ids) {
        const steps = (await history(id)).filter((s) => s.action === 'published');
        assert.equal(steps.length, 1, `post ${id} published once`);
      }
    });

    it('publishes on start what fell due while no instance ran, and says it was late', async () => {
      t.clock.set(at(600));
      const post = await schedule('Overnight result', at(601));
      const id = String(post.id);
      // Every instance is down from 601 to 613; one starts at 613.
      t.clock.set(at(613));
      const instance = await buildApp(t.services, { scheduleEveryMs: 60_000 });
      try {
        const deadline = Date.now() + 5000;
        let read = await t.call(null, 'GET', `/api/pages/vote/posts/${id}`);
        while (read.statusCode !== 200 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
          read = await t.call(null, 'GET', `/api/pages/vote/posts/${id}`);
        }
        assert.equal(read.statusCode, 200, 'published by the start-up tick');
        assert.equal(read.json().publishedAt, at(613), 'late: it shows when it went out');
        const steps = await history(id);
        const published = steps.filter((s) => s.action === 'published');
        assert.equal(published.length, 1);
        assert.deepEqual(published[0]!.actor, { kind: 'system', name: 'scheduler' });
        assert.equal(
          published[0]!.note,
          'Scheduled for 18:01 Greenwich Mean Time, 20 March 2026; published 12 minutes late (no instance was running)',
        );
      } finally {
        await instance.close();
      }
    });

    it('says a running scheduler was behind, not that no instance ran', async () => {
      t.clock.set(at(700));
      const running = new Scheduler(t.services, { everyMs: 3_600_000, log: quiet });
      running.start();
      await running.stop();
      const post = await schedule('Delayed', at(701));
      t.clock.set(at(703));
      assert.equal((await running.tick()).published, 1);
      const published = (await history(String(post.id))).find((s) => s.action === 'published');
      assert.equal(
        published?.note,
        'Scheduled for 19:41 Greenwich Mean Time, 20 March 2026; published 2 minutes late (the scheduler was behind)',
      );
    });

    it('says how late a post went out: on time within 5 seconds, then in seconds, minutes or hours', async () => {
      t.clock.set(at(800));
      const running = new Scheduler(t.services, { everyMs: 3_600_000, log: quiet });
      running.start();
      await running.stop();
      const seconds = (ms: number) => new Date(Date.parse(at(0)) + ms).toISOString();
      // [headline, due, when the tick runs, publishedAt shown, late note]
      const cases: [string, string, string, string, string | null][] = [
        ['Five seconds', at(801), seconds(801 * 60_000 + 5_000), at(801), null],
        [
          'Six seconds',
          at(802),
          seconds(802 * 60_000 + 6_000),
          seconds(802 * 60_000 + 6_000),
          'Scheduled for 21:22 Greenwich Mean Time, 20 March 2026; published 6 seconds late (the scheduler was behind)',
        ],
        [
          'Seventy seconds',
          at(803),
          seconds(803 * 60_000 + 70_000),
          seconds(803 * 60_000 + 70_000),
          'Scheduled for 21:23 Greenwich Mean Time, 20 March 2026; published 1 minute late (the scheduler was behind)',
        ],
        [
          'Two hours',
          at(810),
          at(930),
          at(930),
          'Scheduled for 21:30 Greenwich Mean Time, 20 March 2026; published 2 hours late (the scheduler was behind)',
        ],
      ];
      for (const [headline, due, tickAt, shown, note] of cases) {
        t.clock.set(at(800));
        const post = await schedule(headline, due);
        t.clock.set(tickAt);
        assert.equal((await running.tick()).published, 1, headline);
        const read = await t.call(null, 'GET', `/api/pages/vote/posts/${String(post.id)}`);
        assert.equal(read.json().publishedAt, shown, `${headline}: the time it shows`);
        const step = (await history(String(post.id))).find((s) => s.action === 'published');
        assert.equal(step?.note, note, headline);
      }
    });

    it('blames the database when its ticks were failing, and says so once it is back', async () => {
      t.clock.set(at(1000));
      const post = await schedule('Recount ordered', at(1001));
      let away = true;
      const store = t.services.store;
      const flaky = new Proxy(store, {
        get(target, key, receiver) {
          if (key === 'listDue' && away)
            return () => Promise.reject(new Error('connection refused'));
          const value = Reflect.get(target, key, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      // Another instance over the same database, whose reads of what is due fail for a while.
      const deps: ServiceDeps = { ...t.services, store: flaky };
      const instance = new Scheduler(deps, { everyMs: 3_600_000, log: quiet });
      t.clock.set(at(1002));
      assert.deepEqual(await instance.tick(), { published: 0, pagesStarted: 0, failed: 1 });
      away = false;
      t.clock.set(at(1005));
      assert.equal((await instance.tick()).published, 1);
      const step = (await history(String(post.id))).find((s) => s.action === 'published');
      assert.equal(
        step?.note,
        'Scheduled for 00:41 Greenwich Mean Time, 21 March 2026; published 4 minutes late (the database could not be reached)',
      );
    });

    it('unpins the pinned post when a pinned scheduled post goes out, in its history and log', async () => {
      t.clock.set(at(1100));
      const pinnedNow = await t.call('editor', 'POST', '/api/pages/vote/posts', {
        headline: 'Live results map',
        body: [aParagraph('The map.')],
        pinned: true,
      });
      assert.equal(pinnedNow.statusCode, 201, pinnedNow.body);
      const oldId = String(pinnedNow.json().id);
      const res = await t.call('editor', 'POST', '/api/pages/vote/posts', {
        headline: 'Winner declared',
        body: [aParagraph('The winner.')],
        status: 'scheduled',
        scheduledFor: at(1110),
        pinned: true,
      });
      assert.equal(res.statusCode, 201, res.body);
      const newId = String(res.json().id);
      const read = async (id: string) =>
        (await t.call(null, 'GET', `/api/pages/vote/posts/${id}`)).json();
      assert.equal((await read(oldId)).pinned, true, 'still pinned while the other waits');
      const plain = await schedule('Turnout at 60%', at(1105));
      t.clock.set(at(1105));
      assert.equal((await scheduler.tick()).published, 1);
      assert.equal((await read(String(plain.id))).pinned, false);
      assert.equal((await read(oldId)).pinned, true, 'a post that is not pinned unpins nothing');
      t.clock.set(at(1110));
      assert.equal((await scheduler.tick()).published, 1);
      assert.deepEqual([(await read(newId)).pinned, (await read(oldId)).pinned], [true, false]);
      const unpinned = (await history(oldId)).at(-1);
      assert.deepEqual(
        [unpinned?.action, unpinned?.actor, unpinned?.fields],
        ['unpinned', { kind: 'system', name: 'scheduler' }, ['pinned']],
      );
      const logged = (await changes()).filter(
        (c) => (c.postId === oldId || c.postId === newId) && c.kind !== 'post.superseded',
      );
      assert.deepEqual(
        logged.map((c) => [c.kind, c.postId]),
        [
          ['post.unpinned', oldId],
          ['post.published', newId],
        ],
      );
    });

    it('says a post due the instant the scheduler started went out behind, not with none running', async () => {
      t.clock.set(at(1200));
      const post = await schedule('Count begins', at(1201));
      t.clock.set(at(1201));
      const running = new Scheduler(t.services, { everyMs: 3_600_000, log: quiet });
      running.start();
      await running.stop();
      t.clock.set(at(1203));
      await running.tick();
      const published = (await history(String(post.id))).find((s) => s.action === 'published');
      assert.equal(
        published?.note,
        'Scheduled for 04:01 Greenwich Mean Time, 21 March 2026; published 2 minutes late (the scheduler was behind)',
      );
    });

    it('publishes nothing an editor rescheduled or deleted after an instance found it due', async () => {
      // What an instance does when it takes the page's lock after listing the post as due.
      t.clock.set(at(1300));
      const later = await schedule('Exit poll', at(1301));
      const gone = await schedule('Withdrawn', at(1301));
      t.clock.set(at(1302));
      const moved = await t.call('editor', 'PATCH', `/api/pages/vote/posts/${String(later.id)}`, {
        revision: later.revision,
        scheduledFor: at(1400),
      });
      assert.equal(moved.statusCode, 200, moved.body);
      const deleted = await t.call('editor', 'DELETE', `/api/pages/vote/posts/${String(gone.id)}`);
      assert.equal(deleted.statusCode, 204);
      const before = await page();
      for (const id of [String(later.id), String(gone.id)]) {
        assert.equal(await publishScheduledPost(t.services, 'vote', id), false, id);
      }
      const statuses = await Promise.all(
        [later.id, gone.id].map(
          async (id) =>
            (await t.call('editor', 'GET', `/api/pages/vote/posts/${String(id)}`)).statusCode,
        ),
      );
      assert.equal(statuses[1], 404, 'the deleted post stays deleted');
      const stillScheduled = await t.call(
        'editor',
        'GET',
        `/api/pages/vote/posts/${String(later.id)}`,
      );
      assert.deepEqual(
        [stillScheduled.json().status, stillScheduled.json().scheduledFor],
        ['scheduled', at(1400)],
      );
      const after = await page();
      assert.deepEqual([after.postCount, after.lastSeq], [before.postCount, before.lastSeq]);
    });

    it('logs a tick that cannot reach the database and keeps going', async () => {
      const gone = await adapter.open();
      await gone.store.close();
      const errors: string[] = [];
      const log = {
        ...quiet,
        error: (...args: unknown[]) => void errors.push(String(args[1])),
      } as unknown as FaultLog;
      const broken = new Scheduler(
        serviceDeps({ store: gone.store, bus: new MemoryBus(), now: t.clock.now }),
        { everyMs: 1000, log },
      );
      assert.deepEqual(await broken.tick(), { published: 0, pagesStarted: 0, failed: 1 });
      assert.deepEqual(await broken.tick(), { published: 0, pagesStarted: 0, failed: 1 });
      assert.deepEqual(errors, [
        'scheduler: reading what is due failed; retrying',
        'scheduler: reading what is due failed; retrying',
      ]);
      await gone.drop().catch(() => undefined);
    });
  });
}
