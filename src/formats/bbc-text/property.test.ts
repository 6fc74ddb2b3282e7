import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import { Body } from '../../domain/blocks.ts';
import { DEFAULT_TEXT_FORMAT } from '../../domain/page.ts';
import { parse, render, toRenderInput, type ParseOptions, type RenderInput } from './index.ts';
import { localDateOf, isoDate } from './time-grammar.ts';
import { faithfulPage, lossyPage } from '../../../test/support/bbc-text-arbitraries.ts';

/** What a reader of the capture must be told: the newest post's year, or its day. */
function optionsFor(page: RenderInput, onCaptureDate = false): ParseOptions {
  const newest = page.posts[0];
  if (!newest) return { timeZone: page.timeZone, year: 2025 };
  const day = localDateOf(newest.publishedAt, page.timeZone);
  return onCaptureDate
    ? { timeZone: page.timeZone, captureDate: isoDate(day) }
    : { timeZone: page.timeZone, year: day.year };
}

test('import(export(page)) equals the page, for every page the format carries', () => {
  fc.assert(
    fc.property(faithfulPage, ({ onCaptureDate, ...generated }) => {
      const options = optionsFor(generated, onCaptureDate);
      const page = {
        ...generated,
        textFormat: { ...generated.textFormat, captureDate: options.captureDate ?? null },
      };
      const text = render(page);
      const back = parse(text, options);
      assert.deepEqual(back.posts, page.posts);
      assert.deepEqual(back.summary, page.summary);
      assert.deepEqual(back.leadMedia, page.leadMedia);
      assert.equal(back.streamPage, page.textFormat.streamPageLine ? page.pageNumber : null);
      for (const post of back.posts) assert.ok(Value.Check(Body, post.body));
      // A capture shows only what its posts use: no posts, or none dated, leave defaults.
      const { textFormat: format, timeZone } = page;
      const dated = page.posts.some(
        (p) => isoDate(localDateOf(p.publishedAt, timeZone)) !== format.captureDate,
      );
      const expected =
        page.posts.length === 0
          ? { ...DEFAULT_TEXT_FORMAT, streamPageLine: format.streamPageLine }
          : { ...format, showYear: dated && format.showYear };
      assert.deepEqual(back.textFormat, expected);
      assert.equal(render(toRenderInput(back)), text);
    }),
    { numRuns: 300 },
  );
});

test('export → import → export is stable for any page, lossy features included', () => {
  fc.assert(
    fc.property(lossyPage, (page) => {
      const text = render(page);
      const again = render(toRenderInput(parse(text, optionsFor(page))));
      assert.equal(again, text);
    }),
    { numRuns: 300 },
  );
});
