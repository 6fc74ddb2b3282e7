import type { Change } from '../../src/domain/change.ts';
import { DEFAULT_TEXT_FORMAT, type LivePage } from '../../src/domain/page.ts';
import type { Post } from '../../src/domain/post.ts';
import type { NewPage, NewPost } from '../../src/store/store.ts';
import type { Block } from '../../src/domain/blocks.ts';

/**
 * Test data builders: a valid object with the fields a test cares about overridden. `aPage` and
 * `aPost` are what a test writes into a store; `makePage`, `makePost` and `postChange` are
 * stored objects, for the render tests and the browser harness (shaped like the BBC samples,
 * written by the team, not copied journalism).
 */
export function aPage(overrides: Partial<NewPage> = {}): NewPage {
  return {
    slug: 'harbour-bridge-opening',
    title: 'Harbour bridge opens to traffic',
    description: 'Live coverage of the opening day.',
    status: 'live',
    summary: [{ text: 'The bridge opened at dawn' }],
    leadMedia: { kind: 'video', caption: 'Watch: the first cars cross' },
    timeZone: 'Europe/London',
    textFormat: DEFAULT_TEXT_FORMAT,
    ...overrides,
  };
}

export function aParagraph(text: string): Block {
  return { type: 'paragraph', content: [{ type: 'text', text }] };
}

export function aPost(pageId: string, overrides: Partial<NewPost> = {}): NewPost {
  return {
    pageId,
    status: 'published',
    headline: 'First cars cross the bridge',
    publishedAt: '2025-03-20T18:10:00.000Z',
    labels: [],
    pinned: false,
    contributors: [{ name: 'Ada Reporter', role: 'Transport correspondent' }],
    body: [aParagraph('The first cars crossed at 06:00.')],
    authorId: null,
    ...overrides,
  };
}

/** A post body of about `bytes` bytes of JSON, for tests of size limits. */
export function aBodyOf(bytes: number): Block[] {
  const blocks: Block[] = [];
  let size = 0;
  while (size < bytes) {
    const text = 'x'.repeat(Math.min(9_000, bytes - size + 10));
    blocks.push(aParagraph(text));
    size += text.length + 50;
  }
  return blocks;
}

/** A live page in Europe/London with a summary and an image as lead media. */
export function makePage(overrides: Partial<LivePage> = {}): LivePage {
  return {
    id: 'page-1',
    slug: 'harbour-bridge-reopening',
    title: 'Harbour bridge reopens after two years of repairs',
    description: 'Follow the reopening of the harbour bridge as it happens.',
    status: 'live',
    summary: [
      { text: 'The bridge reopens to traffic at noon after two years of repairs' },
      { text: 'The mayor will cross first, on foot' },
    ],
    leadMedia: {
      kind: 'image',
      src: '/media/bridge.jpg',
      alt: 'The harbour bridge at dawn',
      caption: 'The bridge seen from the north bank',
      credit: 'Liveline',
    },
    timeZone: 'Europe/London',
    textFormat: DEFAULT_TEXT_FORMAT,
    revision: 3,
    lastSeq: 42,
    postCount: 2,
    createdAt: '2025-03-20T08:00:00.000Z',
    updatedAt: '2025-03-20T09:00:00.000Z',
    startedAt: '2025-03-20T09:00:00.000Z',
    endedAt: null,
    reviewMode: 'direct',
    scheduledFor: null,
    ...overrides,
  };
}

let counter = 0;

/** A published post with a paragraph, a link, a list and an image. */
export function makePost(overrides: Partial<Post> = {}): Post {
  counter += 1;
  const id = overrides.id ?? `p${counter}`;
  return {
    id,
    pageId: 'page-1',
    status: 'published',
    headline: `Crowds gather on the north bank (${id})`,
    publishedAt: '2025-03-20T18:10:00.000Z',
    labels: [],
    pinned: false,
    contributors: [{ name: 'Ada Lovelace', role: 'Transport correspondent' }],
    body: [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'Hundreds of people have ' },
          { type: 'text', text: 'gathered', bold: true },
          { type: 'text', text: ' to watch. ' },
          {
            type: 'link',
            text: 'Read the council notice',
            href: 'https://example.org/notice',
            external: true,
          },
        ],
      },
      {
        type: 'list',
        items: [
          [{ type: 'text', text: 'Traffic resumes at noon' }],
          [{ type: 'text', text: 'Buses follow at one' }],
        ],
      },
      {
        type: 'image',
        src: '/media/crowd.jpg',
        alt: 'A crowd on the quay',
        caption: 'The crowd on the quay this morning',
        credit: 'Liveline',
        width: 1024,
        height: 576,
      },
    ],
    revision: 1,
    createdAt: '2025-03-20T18:10:00.000Z',
    updatedAt: '2025-03-20T18:10:00.000Z',
    authorId: null,
    scheduledFor: null,
    reviewNote: null,
    corrections: [],
    removal: null,
    ...overrides,
  };
}

/** A change-log entry for a post. */
export function postChange(
  seq: number,
  kind: 'post.published' | 'post.edited' | 'post.pinned' | 'post.unpinned',
  post: Post,
): Change {
  return {
    pageId: post.pageId,
    seq,
    kind,
    postId: post.id,
    at: post.updatedAt,
    data: { kind, post },
  };
}
