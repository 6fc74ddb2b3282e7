import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.ts';
import { readSample, SAMPLE_20, samplesMissing } from '../support/samples.ts';

/** Our own key points, put into the sample's Summary box in memory as real captures have them. */
const POINTS = [
  'Talks between the two delegations are to resume on Monday',
  'A second point, with “quotes” & <angle brackets>',
];

function withKeyPoints(sample: string, points: readonly string[]): string {
  const lines = points.flatMap((point) => [`  • ${point}`, '']);
  return ['Summary', '', ...lines].join('\n') + sample.slice('Summary\n'.length);
}

describe(
  'a capture with Summary key points, over HTTP',
  { skip: samplesMissing, timeout: 60_000 },
  () => {
    let t: TestApp;
    const importText = (query: string, text: string) =>
      t.call('editor', 'POST', `/api/import?${query}`, text, {
        'content-type': 'text/plain; charset=utf-8',
      });
    before(async () => {
      t = await startTestApp();
    });
    after(() => t.close());

    it('keeps them as the page summary, shows them on the reader page and writes them back', async () => {
      const text = withKeyPoints(readSample(SAMPLE_20), POINTS);
      const res = await importText('slug=with-points&year=2025', text);
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json<{ posts: number }>().posts, 20);

      const page = (await t.call(null, 'GET', '/api/pages/with-points')).json<{
        summary: { text: string }[];
      }>();
      assert.deepEqual(
        page.summary,
        POINTS.map((text) => ({ text })),
      );

      const html = (
        await t.call(null, 'GET', '/live/with-points', undefined, { accept: 'text/html' })
      ).body;
      const box = /<ul class="summary__points">(.*?)<\/ul>/s.exec(html)?.[1] ?? '';
      assert.deepEqual(
        [...box.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]),
        [POINTS[0], 'A second point, with “quotes” &amp; &lt;angle brackets>'],
      );

      assert.equal((await t.call(null, 'GET', '/live/with-points.txt')).body, text);
    });

    it('refuses a malformed bullet naming its line, and writes nothing', async () => {
      const text = withKeyPoints(readSample(SAMPLE_20), ['Fine']).replace(
        '  • Fine\n',
        '  • Fine\n\n•Not a key point\n',
      );
      const res = await importText('slug=bad-points&year=2025', text);
      assert.equal(res.statusCode, 422);
      const problem = res.json<{ code: string; line: number; detail: string }>();
      assert.equal(problem.code, 'VALIDATION_FAILED');
      assert.equal(problem.line, 5);
      assert.match(problem.detail, /^line 5: expected a key point: two spaces, a bullet, a space/);
      assert.equal((await t.call(null, 'GET', '/api/pages/bad-points')).statusCode, 404);
    });
  },
);
