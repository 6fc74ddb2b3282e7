import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VIDEO_TYPES, videoKind } from './video-kind.ts';

/**
 * Which videos the browser's own player plays (ADR 0021): the desk refuses any other address
 * (publish-check), and the reader page announces each with its MIME type.
 */

describe('the kind of a video address', { timeout: 10_000 }, () => {
  it('MP4 and HLS by the end of the path, in any case', () => {
    assert.equal(videoKind('https://media.example/clip.mp4'), 'mp4');
    assert.equal(videoKind('https://media.example/CLIP.MP4'), 'mp4');
    assert.equal(videoKind('/media/live/index.m3u8'), 'hls');
    assert.equal(videoKind('https://media.example/LIVE.M3U8'), 'hls');
  });

  it('the query and fragment are not part of the path', () => {
    assert.equal(videoKind('https://media.example/clip.mp4?token=abc'), 'mp4');
    assert.equal(videoKind('https://media.example/live.m3u8#t=30'), 'hls');
    assert.equal(videoKind('https://media.example/watch?file=clip.mp4'), null);
    assert.equal(videoKind('https://media.example/page#clip.m3u8'), null);
  });

  it('anything else is no kind: another format, or the extension not at the end', () => {
    assert.equal(videoKind('https://media.example/clip.webm'), null);
    assert.equal(videoKind('https://media.example/clip.mp4.html'), null);
    assert.equal(videoKind('https://media.example/clip.m3u8.txt'), null);
    assert.equal(videoKind('https://media.example/clipmp4'), null);
    assert.equal(videoKind(''), null);
  });

  it('each kind is announced with its MIME type', () => {
    assert.deepEqual(VIDEO_TYPES, { mp4: 'video/mp4', hls: 'application/vnd.apple.mpegurl' });
  });
});
