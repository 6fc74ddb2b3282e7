// Renders a page of 20 worst-case posts (test/support/worst-case.ts) with the real renderer
// and prints its size and the median time of 20 renders: `npx tsx scripts/measure-render-limits.ts`.
import { renderAtomFeed, renderPostPage, renderReaderPage } from '../src/render/index.ts';
import { makePage, makePost } from '../test/support/factories.ts';
import { WORST_CASE_PAGE, WORST_CASE_POSTS } from '../test/support/worst-case.ts';
import type { Post } from '../src/domain/post.ts';

const assets = { css: '/assets/reader.css', script: '/assets/reader.js' };
const { status: _status, ...pageFields } = WORST_CASE_PAGE;
const page = makePage(pageFields);

function median(times: number[]): number {
  return [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
}

function time(work: () => string): { bytes: number; ms: number } {
  let bytes = 0;
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    bytes = Buffer.byteLength(work());
    times.push(performance.now() - start);
  }
  return { bytes, ms: median(times) };
}

for (const [name, input] of Object.entries(WORST_CASE_POSTS)) {
  const posts = Array.from({ length: 20 }, () => makePost(input as Partial<Post>));
  const base = {
    page,
    posts,
    pageNumber: 1,
    pageCount: 1,
    total: 20,
    baseUrl: 'https://live.example',
    assets,
  };
  const reader = time(() => renderReaderPage(base));
  const permalink = time(() =>
    renderPostPage({ page, post: posts[0] as Post, baseUrl: base.baseUrl, assets }),
  );
  const feed = time(() => renderAtomFeed({ page, posts, baseUrl: base.baseUrl }));
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;
  console.log(
    `${name.padEnd(24)} page ${kb(reader.bytes)} ${reader.ms.toFixed(1)} ms | permalink ${kb(permalink.bytes)} ${permalink.ms.toFixed(1)} ms | feed ${kb(feed.bytes)} ${feed.ms.toFixed(1)} ms`,
  );
}
