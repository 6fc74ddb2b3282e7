import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frame, HEARTBEAT, retryFrame, spreadRetryMs, STREAM_HEAD } from './sse-frame.ts';

test('frames event, id and data, ending with a blank line', () => {
  assert.equal(
    frame({ id: 7, event: 'change', data: '{"a":1}' }).toString(),
    'event: change\nid: 7\ndata: {"a":1}\n\n',
  );
});

test('splits multi-line data into several data lines, whatever the line ending', () => {
  assert.equal(
    frame({ data: 'one\ntwo\r\nthree\rfour' }).toString(),
    'data: one\ndata: two\ndata: three\ndata: four\n\n',
  );
});

test('keeps empty data as one empty data line', () => {
  assert.equal(frame({ data: '' }).toString(), 'data: \n\n');
});

test('writes retry as whole milliseconds', () => {
  assert.equal(frame({ retry: 1500.7, data: 'x' }).toString(), 'retry: 1500\ndata: x\n\n');
});

test('refuses CR or LF in id and event, which would forge fields', () => {
  assert.throws(() => frame({ id: '1\ndata: evil', data: 'x' }), /id must not contain CR or LF/);
  assert.throws(() => frame({ event: 'a\rb', data: 'x' }), /event must not contain CR or LF/);
});

test('encodes unicode as UTF-8', () => {
  assert.deepEqual(frame({ data: 'Orbán – €' }), Buffer.from('data: Orbán – €\n\n', 'utf8'));
});

test('heartbeat is a comment', () => {
  assert.equal(HEARTBEAT.toString(), ':\n\n');
});

test('a retry frame carries no data, so it dispatches no event', () => {
  assert.equal(retryFrame(2000).toString(), 'retry: 2000\n\n');
});

test('a spread retry is a whole number of ms from the start of its window up to its end', () => {
  const range = { min: 500, max: 3_000 };
  assert.equal(
    spreadRetryMs(range, () => 0),
    500,
  );
  assert.equal(
    spreadRetryMs(range, () => 0.5),
    1_750,
  );
  assert.equal(
    spreadRetryMs(range, () => 0.999_999_9),
    2_999,
  );
});

test('the stream head: an uncached, unsniffed, unbuffered event stream, then the frames', () => {
  // Written straight to the socket, so these are the exact bytes a reader's browser and any
  // proxy in between see; the blank line ends the head and the first frame follows it.
  assert.equal(
    STREAM_HEAD.toString('latin1'),
    'HTTP/1.1 200 OK\r\n' +
      'Content-Type: text/event-stream; charset=utf-8\r\n' +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      'X-Accel-Buffering: no\r\n' +
      '\r\n',
  );
});
