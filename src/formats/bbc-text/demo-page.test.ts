import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { Body, type Block } from '../../domain/blocks.ts';
import { LABELS } from '../../domain/post.ts';
import { parse, render, toRenderInput } from './index.ts';
import { DEMO_PAGE } from '../../../test/support/bbc-text.ts';

const text = readFileSync(DEMO_PAGE, 'utf8');
const page = parse(text, { year: 2025 });
const blocks = page.posts.flatMap((post) => post.body);

test('the demo page round-trips byte for byte', () => {
  assert.equal(render(toRenderInput(page)), text);
  assert.equal(page.posts.length, 25);
  assert.deepEqual(page.dropped, []);
  for (const post of page.posts) assert.ok(Value.Check(Body, post.body), post.headline);
});

test('the demo page uses every block, label and byline form the format has', () => {
  const types = new Set(blocks.map((block) => block.type));
  assert.deepEqual([...types].sort(), ['embed', 'image', 'list', 'paragraph', 'quote', 'video']);
  assert.deepEqual(
    [...new Set(page.posts.flatMap((post) => post.labels))].sort(),
    [...LABELS].sort(),
  );
  assert.ok(page.summary.length >= 3);
  assert.equal(page.leadMedia?.kind, 'video');
  const bylines = page.posts.flatMap((post) => post.contributors);
  assert.ok(bylines.some((c) => c.role !== undefined) && bylines.some((c) => c.role === undefined));
  assert.ok(page.posts.some((post) => post.contributors.length > 1));
  const images = blocks.filter(
    (block): block is Extract<Block, { type: 'image' }> => block.type === 'image',
  );
  assert.ok(images.some((image) => image.credit !== undefined && image.caption !== undefined));
  assert.ok(images.some((image) => image.credit !== undefined && image.caption === undefined));
  assert.ok(
    images.some((image) => image.credit === undefined),
    'an image without credit (a map)',
  );
  const gallery = page.posts.some((post) =>
    post.body.some((block, i) => block.type === 'image' && post.body[i + 1]?.type === 'image'),
  );
  assert.ok(gallery, 'two images in a row');
  const runs = blocks.flatMap((block) => ('content' in block ? block.content : []));
  assert.ok(runs.some((run) => run.type === 'link' && run.external));
});

test('the demo page spans the night the clocks go back: 01:30 happens twice', () => {
  const at = (headline: string) =>
    page.posts.find((post) => post.headline.startsWith(headline))?.publishedAt;
  assert.equal(at('Winds high above'), '2025-10-26T00:30:00.000Z'); // 01:30 British Summer Time
  assert.equal(at("Yes, it's 01:30 again"), '2025-10-26T01:30:00.000Z'); // 01:30 Greenwich Mean Time
  const times = page.posts.map((post) => post.publishedAt);
  assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
});
