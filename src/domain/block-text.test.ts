import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Block } from './blocks.ts';
import { blockText, inlineText } from './block-text.ts';

/**
 * The plain words of a post's blocks: what a feed, a push alert and a page description show
 * (`words`), and what the desk's history compares (`described`, which also names each picture,
 * video and embedded post, so that a changed picture shows in the diff).
 */

const OPTIONS = { timeout: 10_000 };

const image: Block = { type: 'image', alt: 'The harbour wall', caption: 'Waves at dawn' };
const uncaptioned: Block = { type: 'image', alt: 'A map of the coast' };
const embed: Block = {
  type: 'embed',
  provider: 'bluesky',
  url: 'https://bsky.app/profile/a.bsky.social/post/3kabc',
  text: 'Storm warning',
};

describe('the words of a block', OPTIONS, () => {
  it('a paragraph and a quote: their runs joined, link text included', () => {
    const content = [
      { type: 'text', text: 'Read ' },
      { type: 'link', text: 'the forecast', href: 'https://example.com/', external: true },
      { type: 'text', text: ' now.', bold: true },
    ] as const;
    assert.equal(inlineText([...content]), 'Read the forecast now.');
    assert.equal(blockText({ type: 'paragraph', content: [...content] }), 'Read the forecast now.');
    assert.equal(blockText({ type: 'quote', content: [...content] }), 'Read the forecast now.');
  });

  it('a list: one item a line', () => {
    const list: Block = {
      type: 'list',
      items: [[{ type: 'text', text: 'Roads shut' }], [{ type: 'text', text: 'Trains late' }]],
    };
    assert.equal(blockText(list), 'Roads shut\nTrains late');
  });

  it('a picture, a video and an embedded post: only what they say', () => {
    assert.equal(blockText(image), 'Waves at dawn');
    assert.equal(blockText(uncaptioned), '');
    assert.equal(blockText({ type: 'video', caption: 'The storm arrives' }), 'The storm arrives');
    assert.equal(blockText({ type: 'video' }), '');
    assert.equal(blockText(embed), 'Storm warning');
    assert.equal(blockText({ ...embed, text: undefined }), '');
  });

  it('a gallery: its pictures’ captions, one a line', () => {
    const gallery: Block = { type: 'gallery', images: [image, uncaptioned, image] };
    assert.equal(blockText(gallery), 'Waves at dawn\n\nWaves at dawn');
  });
});

describe('the history’s description of a block', OPTIONS, () => {
  it('names each picture and video, with its caption when it has one', () => {
    assert.equal(blockText(image, 'described'), '[Image: The harbour wall] Waves at dawn');
    assert.equal(blockText(uncaptioned, 'described'), '[Image: A map of the coast]');
    assert.equal(blockText({ type: 'video', caption: 'Flood' }, 'described'), '[Video] Flood');
    assert.equal(blockText({ type: 'video' }, 'described'), '[Video]');
  });

  it('names an embedded post by its provider, with its text or else its address', () => {
    assert.equal(blockText(embed, 'described'), '[bluesky] Storm warning');
    assert.equal(
      blockText({ ...embed, text: undefined }, 'described'),
      '[bluesky] https://bsky.app/profile/a.bsky.social/post/3kabc',
    );
  });

  it('describes a gallery picture by picture; text blocks read as their words', () => {
    const gallery: Block = { type: 'gallery', images: [image, uncaptioned] };
    assert.equal(
      blockText(gallery, 'described'),
      '[Image: The harbour wall] Waves at dawn\n[Image: A map of the coast]',
    );
    const para: Block = { type: 'paragraph', content: [{ type: 'text', text: 'Calm.' }] };
    assert.equal(blockText(para, 'described'), 'Calm.');
  });
});
