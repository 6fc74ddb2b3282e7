/**
 * Server-Sent Events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html).
 * A frame is built once per change and the same bytes go to every reader.
 */
export interface SseMessage {
  id?: string | number;
  event?: string;
  data: string;
  /** Milliseconds the browser should wait before reconnecting. */
  retry?: number;
}

function singleLine(field: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`SSE ${field} must not contain CR or LF`);
  return value;
}

/** Frames one message; multi-line data becomes several `data:` lines, as the spec reads them. */
export function frame(message: SseMessage): Buffer {
  let text = '';
  if (message.event !== undefined) text += `event: ${singleLine('event', message.event)}\n`;
  if (message.id !== undefined) text += `id: ${singleLine('id', String(message.id))}\n`;
  if (message.retry !== undefined) text += `retry: ${Math.max(0, Math.floor(message.retry))}\n`;
  for (const line of message.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return Buffer.from(`${text}\n`, 'utf8');
}

/** A comment line: ignored by browsers, it keeps idle connections open through proxies. */
export const HEARTBEAT = Buffer.from(':\n\n', 'utf8');

/**
 * A reconnection delay drawn from [min, max) ms: readers cut off together (a restart, a crash)
 * come back spread over that window rather than in one storm.
 */
export function spreadRetryMs(
  range: { min: number; max: number },
  random: () => number = Math.random,
): number {
  return range.min + Math.floor(random() * (range.max - range.min));
}

/** Sets the browser's reconnection delay without dispatching an event. */
export function retryFrame(ms: number): Buffer {
  return Buffer.from(`retry: ${Math.max(0, Math.floor(ms))}\n\n`, 'utf8');
}

/**
 * The response head of every event stream, written once straight to the socket: the body
 * is raw SSE frames with no chunked encoding, so `Connection: close` marks where it ends.
 */
export const STREAM_HEAD = Buffer.from(
  [
    'HTTP/1.1 200 OK',
    'Content-Type: text/event-stream; charset=utf-8',
    'Cache-Control: no-store',
    'Connection: close',
    'X-Content-Type-Options: nosniff',
    // Tells nginx-style proxies not to buffer the stream.
    'X-Accel-Buffering: no',
    '',
    '',
  ].join('\r\n'),
);
