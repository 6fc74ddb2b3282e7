import { DEFAULT_TEXT_FORMAT } from '../../src/domain/page.ts';
import type { NewPage, NewPost } from '../../src/store/store.ts';
import type { Block } from '../../src/domain/blocks.ts';

/** Test data builders: a valid object with the fields a test cares about overridden. */
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
