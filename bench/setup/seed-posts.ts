/**
 * Fills a live page with many posts straight through the store API (no HTTP), in batches of
 * one transaction each: insertPost + appendChange per post, adjustPostCount per batch.
 *
 *   DATA_DIR=/tmp/x node --import tsx bench/setup/seed-posts.ts <slug> <posts>
 */
import { join } from 'node:path';
import { DEFAULT_TEXT_FORMAT, DEFAULT_TIME_ZONE } from '../../src/domain/page.ts';
import { connectSqlite } from '../../src/store/sqlite/connect.ts';
import { postInput } from '../lib/post-body.ts';

const BATCH = 5_000;
const [slug, postsText] = process.argv.slice(2);
const dataDir = process.env.DATA_DIR;
const total = Number(postsText);
if (!slug || !dataDir || !Number.isInteger(total) || total < 1) {
  console.error('usage: DATA_DIR=<dir> seed-posts.ts <slug> <posts>');
  process.exit(2);
}

const began = performance.now();
const store = await connectSqlite(join(dataDir, 'liveline.sqlite'));
try {
  const page = await store.transaction((tx) =>
    tx.insertPage({
      slug,
      title: 'Depth benchmark',
      description: '',
      status: 'live',
      summary: [{ text: `A live page with ${total} posts.` }],
      leadMedia: null,
      timeZone: DEFAULT_TIME_ZONE,
      textFormat: DEFAULT_TEXT_FORMAT,
    }),
  );
  // One post every 30 seconds, oldest first, ending now.
  const first = Date.now() - total * 30_000;
  for (let done = 0; done < total; done += BATCH) {
    const count = Math.min(BATCH, total - done);
    await store.transaction(async (tx) => {
      for (let i = done; i < done + count; i++) {
        const input = postInput(i + 1);
        const post = await tx.insertPost({
          pageId: page.id,
          status: 'published',
          headline: input.headline,
          publishedAt: new Date(first + i * 30_000).toISOString(),
          labels: input.labels,
          pinned: false,
          contributors: input.contributors,
          body: input.body,
          authorId: null,
        });
        await tx.appendChange(page.id, post.id, { kind: 'post.published', post });
      }
      await tx.adjustPostCount(page.id, count);
    });
    console.error(`${done + count} / ${total} posts`);
  }
  console.log(JSON.stringify({ slug, posts: total, seconds: (performance.now() - began) / 1000 }));
} finally {
  await store.close();
}
