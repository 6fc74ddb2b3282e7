import net from 'node:net';
import type { Endpoint } from './protocol.ts';

/** What a reader reports to its client process. */
export interface ReaderEvents {
  /** The response head arrived: 200 or not. */
  onHead(reader: SseReader, ok: boolean, detail: string): void;
  /** A dispatched event (one with data) carrying `[m:NNNNNN]`, received at `time`. */
  onMarker(reader: SseReader, marker: number, time: number): void;
  onClose(reader: SseReader, error: string | null): void;
}

const HEAD_END = '\r\n\r\n';
const MARK = '[m:';
const now = () => performance.timeOrigin + performance.now();
const READ_BUFFER = Buffer.alloc(256 * 1024);

/**
 * One EventSource reader on a raw socket: a single HTTP/1.1 GET, then the body parsed as it
 * arrives. Handles chunked transfer encoding (nginx) and plain bodies ended by the connection
 * (Connection: close). Events end at a blank line; both servers write LF line endings.
 */
export class SseReader {
  open = false;
  /** The response head said 200 once (stays true after the reader closes). */
  opened = false;
  events = 0;
  bytes = 0;
  lastId = '';
  /** Events whose id was not the one after the previous id (a gap, a repeat or out of order). */
  idBreaks = 0;
  /** Events whose id was not above the previous id (a repeat after a resume, say). */
  idRepeats = 0;
  /** The data of the latest event, kept only when asked (one reader per client). */
  lastData: string | null = null;
  keepData = false;
  private readonly socket: net.Socket;
  private head = '';
  private headDone = false;
  private chunked = false;
  /** Chunked decoding: >0 bytes left in a chunk, -1 reading a size line, -2 the CRLF after data. */
  private chunkLeft = -1;
  private sizeLine = '';
  private text = '';
  private time = 0;

  constructor(
    readonly index: number,
    endpoint: Endpoint,
    local: { address: string; port: number },
    private readonly events_: ReaderEvents,
    /** A resume: the id of the last event seen, sent as Last-Event-ID (a reconnect storm). */
    resumeFrom?: { lastId: string; idBreaks: number; idRepeats: number },
  ) {
    if (resumeFrom) {
      // The same reader as before the drop, for what was open and what it received.
      this.opened = true;
      this.lastId = resumeFrom.lastId;
      this.idBreaks = resumeFrom.idBreaks;
      this.idRepeats = resumeFrom.idRepeats;
    }
    const resume = this.lastId === '' ? '' : `Last-Event-ID: ${this.lastId}\r\n`;
    // An explicit source port: letting the kernel pick one for a bound address searches the
    // whole range on every bind, which makes 10,000 connections take half a minute.
    this.socket = net.connect({
      host: endpoint.host,
      port: endpoint.port,
      localAddress: local.address,
      localPort: local.port,
      // Reads land in one buffer shared by every reader of the process, handed straight to
      // onData: no Buffer per read and no stream machinery, so the client costs less CPU.
      onread: {
        buffer: READ_BUFFER,
        callback: (length: number, buffer: Uint8Array) => {
          this.onData(buffer as Buffer, length);
          return true;
        },
      },
    });
    this.socket.setNoDelay(true);
    this.socket.on('connect', () => {
      this.socket.write(
        `GET ${endpoint.path} HTTP/1.1\r\nHost: ${endpoint.host}:${endpoint.port}\r\n` +
          `Accept: text/event-stream\r\nCache-Control: no-cache\r\n${resume}\r\n`,
      );
    });
    this.socket.on('error', (error) => this.close(error.message));
    this.socket.on('close', () => this.close(null));
  }

  /** Fails the reader if its response head has not arrived within `ms`. */
  armTimeout(ms: number): void {
    this.socket.setTimeout(ms, () => {
      if (!this.headDone) this.socket.destroy(new Error(`no response head within ${ms} ms`));
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private closed = false;

  private close(error: string | null): void {
    if (this.closed) return;
    this.closed = true;
    const wasOpen = this.open;
    this.open = false;
    this.socket.destroy();
    if (!this.headDone) this.events_.onHead(this, false, error ?? 'closed before the head');
    else if (wasOpen) this.events_.onClose(this, error);
  }

  /** `length` bytes have arrived at the start of `chunk` (the shared read buffer). */
  private onData(chunk: Buffer, length: number): void {
    this.time = now();
    this.bytes += length;
    let start = 0;
    if (!this.headDone) {
      const before = this.head.length;
      this.head += chunk.toString('latin1', 0, length);
      const end = this.head.indexOf(HEAD_END);
      if (end === -1) return;
      const head = this.head.slice(0, end);
      const bodyStart = end + HEAD_END.length - before;
      this.head = '';
      this.headDone = true;
      this.socket.setTimeout(0);
      const ok = /^HTTP\/1\.[01] 200 /.test(head);
      this.chunked = /\r\ntransfer-encoding:[ \t]*chunked/i.test(head);
      this.open = ok;
      this.opened ||= ok;
      this.events_.onHead(this, ok, head.split('\r\n')[0] ?? '');
      if (!ok) {
        this.destroy();
        return;
      }
      start = bodyStart;
    }
    if (this.chunked) this.dechunk(chunk, start, length);
    else if (start < length) this.feed(chunk.toString('latin1', start, length));
  }

  private dechunk(chunk: Buffer, from: number, length: number): void {
    let i = from;
    while (i < length) {
      if (this.chunkLeft > 0) {
        const take = Math.min(this.chunkLeft, length - i);
        this.feed(chunk.toString('latin1', i, i + take));
        i += take;
        this.chunkLeft -= take;
        if (this.chunkLeft === 0) this.chunkLeft = -2;
      } else if (this.chunkLeft === -2) {
        if (chunk[i++] === 0x0a) this.chunkLeft = -1;
      } else {
        const byte = chunk[i++] as number;
        if (byte === 0x0a) {
          const size = parseInt(this.sizeLine, 16);
          this.sizeLine = '';
          // A zero chunk ends the body; the server then closes or we do.
          this.chunkLeft = size > 0 ? size : -3;
        } else if (byte !== 0x0d) {
          this.sizeLine += String.fromCharCode(byte);
        }
      }
    }
  }

  private feed(piece: string): void {
    const text = this.text + piece;
    // Only the new part (and the LF before it) can complete an event.
    let from = Math.max(0, this.text.length - 1);
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n\n', from);
      if (end === -1) break;
      this.onEvent(text, start, end);
      start = end + 2;
      from = start;
    }
    this.text = start === 0 ? text : text.slice(start);
  }

  /** One block of lines [start, end): an event if it has data, else a comment or retry. */
  private onEvent(text: string, start: number, end: number): void {
    const data = text.startsWith('data:', start) ? start : text.indexOf('\ndata:', start) + 1;
    if (data === 0 || data > end) return;
    this.events++;
    const id = text.startsWith('id:', start) ? start : text.indexOf('\nid:', start) + 1;
    if (id > 0 && id < data) {
      const lineEnd = text.indexOf('\n', id);
      const next = text.slice(id + 3, lineEnd).trim();
      // Ids are change-log positions: each event's is the one after the last (a snapshot of
      // a far-behind page may jump ahead; it is counted as a break too).
      if (this.lastId !== '') {
        const step = Number(next) - Number(this.lastId);
        if (step !== 1) this.idBreaks++;
        if (step <= 0) this.idRepeats++;
      }
      this.lastId = next;
    }
    if (this.keepData) this.lastData = text.slice(data + 5, text.indexOf('\n', data)).trimStart();
    const mark = text.indexOf(MARK, data);
    if (mark !== -1 && mark < end) {
      this.events_.onMarker(this, Number(text.slice(mark + 3, mark + 9)), this.time);
    }
  }
}
