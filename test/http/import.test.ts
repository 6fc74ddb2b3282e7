import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LivelineError } from '../../src/domain/errors.ts';
import type { User } from '../../src/domain/user.ts';
import { importPage } from '../../src/services/import.ts';
import { adapters } from '../support/adapters.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { readSample, SAMPLE_14, SAMPLE_20, samplesMissing } from '../support/samples.ts';

/** The 1-based line of the first line that starts with `start`. */
function lineOf(text: string, start: string): number {
  return text.slice(0, text.indexOf(`\n${start}`) + 1).split('\n').length;
}

/**
 * Importing captures beyond the one whole capture of text-format.test.ts: a damaged capture
 * imported in part, the pages of one live page in several captures (what the CLI sends), and
 * captures the API would refuse. Over HTTP where the route takes it, else through importPage,
 * the use case the CLI calls.
 */
for (const adapter of await adapters()) {
  describe(
    `importing captures: ${adapter.name}`,
    { skip: adapter.skip || samplesMissing, timeout: 120_000 },
    () => {
      let t: TestApp;
      let drop: () => Promise<void>;
      let editor: User;
      const sample20 = samplesMissing ? '' : readSample(SAMPLE_20);
      const sample14 = samplesMissing ? '' : readSample(SAMPLE_14);
      // Cut inside the headline line of post 7: posts 1 to 6 are whole.
      const truncated = sample20.slice(0, sample20.indexOf("  7. 'We're moving") + 30);

      before(async () => {
        const opened = await adapter.open();
        drop = opened.drop;
        t = await startTestApp(opened.store);
        const found = await t.services.store.findUserByName('Rich Preston');
        assert.ok(found);
        editor = found;
      });
      after(async () => {
        await t.app.close();
        await drop();
      });

      const importText = (query: string, text: string) =>
        t.call('editor', 'POST', `/api/import?${query}`, text, {
          'content-type': 'text/plain; charset=utf-8',
        });
      const nothingWritten = async (slug: string) => {
        assert.equal(await t.services.store.getPage(slug), null, `no page ${slug}`);
        assert.equal((await t.call(null, 'GET', `/api/pages/${slug}`)).statusCode, 404);
      };
      const refusal = async (work: Promise<unknown>): Promise<LivelineError> => {
        const error = await work.then(
          () => assert.fail('the import was not refused'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof Error, String(error));
        return error as LivelineError;
      };

      it('partial=true imports the complete posts of a damaged capture and reports the rest', async () => {
        const line = lineOf(sample20, '  7. ');
        const whole = await importText('slug=cut-whole&year=2025', truncated);
        assert.equal(whole.statusCode, 422, whole.body);
        assert.equal(whole.json().line, line);
        await nothingWritten('cut-whole');

        const res = await importText('slug=cut-partial&year=2025&partial=true', truncated);
        assert.equal(res.statusCode, 201, res.body);
        const report = res.json<{
          posts: number;
          page: { postCount: number; lastSeq: number };
          dropped: { line: number; reason: string }[];
          assumptions: string[];
        }>();
        assert.deepEqual([report.posts, report.page.postCount, report.page.lastSeq], [6, 6, 6]);
        assert.equal(report.dropped.length, 1, res.body);
        assert.equal(report.dropped[0]?.line, line);
        assert.match(report.dropped[0]?.reason ?? '', /expected a headline ending "published at/);
        const { posts } = (await t.call(null, 'GET', '/api/pages/cut-partial/posts')).json<{
          posts: { headline: string }[];
        }>();
        assert.equal(posts.length, 6);
        assert.equal(
          posts[5]?.headline,
          'Lammy says Putin must not be given veto over European peacekeepers',
        );
      });

      it('keeps the order of posts of the same minute, and logs each post oldest first', async () => {
        // Post 2 moved to post 1's minute: only the capture's order tells them apart.
        const sameMinute = sample14.replace(
          '16:13 Greenwich Mean Time 14 March',
          '16:16 Greenwich Mean Time 14 March',
        );
        assert.notEqual(sameMinute, sample14);
        const res = await importText('slug=same-minute&year=2025', sameMinute);
        assert.equal(res.statusCode, 201, res.body);
        assert.equal((await t.call(null, 'GET', '/live/same-minute.txt')).body, sameMinute);

        const { posts } = (await t.call(null, 'GET', '/api/pages/same-minute/posts')).json<{
          posts: { id: string }[];
        }>();
        const log = (await t.call(null, 'GET', '/api/pages/same-minute/changes?since=0')).json<{
          changes: { seq: number; kind: string; postId: string | null }[];
        }>().changes;
        assert.deepEqual(
          log.map((c) => [c.seq, c.kind, c.postId]),
          [...posts].reverse().map((p, i) => [i + 1, 'post.published', p.id]),
          'one post.published a post, the oldest first',
        );
      });

      it('checks the page before the captures, and refuses what only a contributor asks', async () => {
        const notACapture = [{ name: 'page-1.txt', text: 'Hello\nthis is not a live page' }];
        for (const [input, field] of [
          [{ slug: 'Not a slug' }, '/slug'],
          [{ slug: 'long-description', description: 'x'.repeat(2001) }, '/description'],
          [{ slug: 'odd-status', status: 'closed' as never }, '/status'],
        ] as const) {
          const error = await refusal(
            importPage(t.services, editor, { ...input, captures: notACapture }),
          );
          assert.equal(error.code, 'VALIDATION_FAILED', error.message);
          assert.deepEqual(
            error.problems.map((p) => p.field),
            [field],
          );
        }
        // A way of writing times no export knows, asked of a capture that parses.
        const odd = await refusal(
          importPage(t.services, editor, {
            slug: 'odd-zones',
            year: 2025,
            captures: [{ name: 'page-1.txt', text: sample14 }],
            textFormat: { zoneStyle: 'medium' as never },
          }),
        );
        assert.deepEqual(
          odd.problems.map((p) => p.field),
          ['/textFormat/zoneStyle'],
        );
        await nothingWritten('odd-zones');

        const contributor = await t.call(
          'contributor',
          'POST',
          '/api/import?slug=by-contributor&year=2025',
          sample14,
          { 'content-type': 'text/plain; charset=utf-8' },
        );
        assert.equal(contributor.statusCode, 403, contributor.body);
        assert.equal(contributor.json().detail, 'The contributor role may not import live pages.');
        await nothingWritten('by-contributor');
      });

      it('a post the API would refuse is refused by the import too, naming the post', async () => {
        // Each line is within the grammar's limits; the post's text as a whole is not.
        const line = "    We'll bring you the key lines on what he has to say.";
        const tooLong = sample14.replace(line, `    ${'Words words. '.repeat(500)}`);
        const res = await importText('slug=long-post&year=2025', tooLong);
        assert.equal(res.statusCode, 422, res.body);
        const problem = res.json<{ code: string; errors: { field: string; reason: string }[] }>();
        assert.equal(problem.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          problem.errors.map((e) => e.field),
          ['/posts/2/body'],
          res.body,
        );
        await nothingWritten('long-post');
      });

      it('several captures are the pages of one live page, newest first, progress told', async () => {
        const progress: [number, number][] = [];
        const report = await importPage(t.services, editor, {
          slug: 'two-pages',
          description: 'Talks on a ceasefire',
          year: 2025,
          captures: [
            { name: 'page-1.txt', text: sample20 },
            { name: 'page-2.txt', text: sample14 },
          ],
          onProgress: (written, total) => progress.push([written, total]),
        });
        assert.deepEqual(
          [report.posts, report.page.postCount, report.page.description, report.page.status],
          [40, 40, 'Talks on a ceasefire', 'ended'],
        );
        assert.equal(report.page.title, 'Two pages');
        assert.deepEqual(
          progress,
          Array.from({ length: 40 }, (_, i) => [i + 1, 40]),
          'each post written is told, out of all of them',
        );
        // Both captures assume the same year: said once.
        const years = report.assumptions.filter((a) => /read as 2025, the year given/.test(a));
        assert.equal(years.length, 1, report.assumptions.join('\n'));
        assert.deepEqual(report.dropped, []);
        // The second capture is the second page (written in the first capture's way of times).
        const second = (await t.call(null, 'GET', '/live/two-pages.txt?page=2')).body;
        assert.match(second, /\n {2}1\. US 'cautiously optimistic' over Ukraine deal/);
        assert.match(second, /\n {2}20\. /);
      });

      it('a bad capture among several is named, and none of them is written', async () => {
        const error = await refusal(
          importPage(t.services, editor, {
            slug: 'bad-second',
            year: 2025,
            captures: [
              { name: 'page-1.txt', text: sample20 },
              { name: 'page-2.txt', text: 'Hello\nthis is not a live page' },
            ],
          }),
        );
        assert.match(error.message, /^page-2\.txt: line 1: /);
        await nothingWritten('bad-second');

        // Alone, a capture needs no name in front of its error.
        const alone = await refusal(
          importPage(t.services, editor, {
            slug: 'bad-alone',
            captures: [{ name: 'page-1.txt', text: 'Hello\nthis is not a live page' }],
          }),
        );
        assert.match(alone.message, /^line 1: /);

        const none = await refusal(importPage(t.services, editor, { slug: 'none', captures: [] }));
        assert.equal(none.code, 'VALIDATION_FAILED');
        assert.deepEqual(none.problems, [
          { field: '/captures', reason: 'at least one capture is needed' },
        ]);
        await nothingWritten('none');
      });

      it('what a partial import drops is reported with the capture it was in', async () => {
        const report = await importPage(t.services, editor, {
          slug: 'partial-two',
          year: 2025,
          partial: true,
          captures: [
            { name: 'page-1.txt', text: sample14 },
            { name: 'page-2.txt', text: truncated },
          ],
        });
        assert.equal(report.posts, 26);
        assert.deepEqual(
          report.dropped.map((d) => [d.capture, d.line]),
          [['page-2.txt', lineOf(sample20, '  7. ')]],
        );
      });
    },
  );
}
