/**
 * An SSE load client: its own process, holding many raw-socket readers (reader.ts) and
 * reporting to the benchmark over IPC when each reader received each marked post.
 * Started by bench/lib/fanout/client-pool.ts; exits when its parent goes or after --max-ms.
 */
import { SseReader, type ReaderEvents } from './reader.ts';
import type { FromClient, ToClient } from './protocol.ts';

const now = () => performance.timeOrigin + performance.now();
const maxMs = Number(process.argv[2] ?? 20 * 60_000);

const readers: SseReader[] = [];
/** Per marker, the receive time of each reader (NaN until it arrives). */
const marks = new Map<number, Float64Array>();
const counts = new Map<number, number>();
const done = new Set<number>();
let openReaders = 0;
let droppedAfterConnect = 0;
let pending: { marker: number; first: number | null; timer: NodeJS.Timeout } | null = null;

function send(message: FromClient): void {
  process.send?.(message);
}

/** How many readers a collect waits for: those open now, or in a storm every one ever open. */
let everyReader = false;
/** In a storm, every reader that was ever open: counted once per collect. */
let everOpen = 0;
const wanted = () => (everyReader ? everOpen : openReaders);

/** Every marker of a burst at once: receive times of the readers that opened, in order. */
function answerRange(first: number, last: number): void {
  const open = readers.filter((reader) => reader.opened);
  const times = new Float64Array((last - first + 1) * open.length).fill(Number.NaN);
  for (let marker = first; marker <= last; marker++) {
    done.add(marker);
    const got = marks.get(marker);
    marks.delete(marker);
    counts.delete(marker);
    if (!got) continue;
    const base = (marker - first) * open.length;
    open.forEach((reader, i) => (times[base + i] = got[reader.index] as number));
  }
  send({ type: 'collected-range', first, last, readers: open.length, times });
}

function answerCollect(): void {
  if (!pending) return;
  const { marker, timer, first } = pending;
  pending = null;
  clearTimeout(timer);
  if (first !== null) return answerRange(first, marker);
  done.add(marker);
  const times = marks.get(marker) ?? new Float64Array(0);
  const got = times.filter((t) => !Number.isNaN(t));
  marks.delete(marker);
  counts.delete(marker);
  send({ type: 'collected', marker, times: got, missing: openReaders - got.length });
}

function checkCollect(): void {
  if (pending && (counts.get(pending.marker) ?? 0) >= wanted()) answerCollect();
}

const events: ReaderEvents = {
  onHead() {},
  onMarker(reader, marker, time) {
    if (done.has(marker)) return;
    let times = marks.get(marker);
    if (!times) {
      times = new Float64Array(readers.length).fill(Number.NaN);
      marks.set(marker, times);
    }
    if (!Number.isNaN(times[reader.index] as number)) return;
    times[reader.index] = time;
    counts.set(marker, (counts.get(marker) ?? 0) + 1);
    if (pending?.marker === marker) checkCollect();
  },
  onClose() {
    openReaders--;
    droppedAfterConnect++;
    checkCollect();
  },
};

/** Source ports are handed out from here up; one taken by something else is skipped. */
const FIRST_PORT = 16_384;
const LAST_PORT = 65_535;
let nextPort = FIRST_PORT;

/** The source address of reader `index` (see the 'connect' message's perAddress). */
function sourceAddress(message: Extract<ToClient, { type: 'connect' }>, index: number): string {
  if (!message.perAddress) return message.localAddress;
  const a = Math.floor((message.firstIndex + index) / message.perAddress);
  return `${message.localAddress}.${Math.floor(a / 250)}.${1 + (a % 250)}`;
}
let connected: Extract<ToClient, { type: 'connect' }> | null = null;

async function connect(message: Extract<ToClient, { type: 'connect' }>): Promise<void> {
  connected = message;
  const began = now();
  const deadline = began + message.timeoutMs;
  let next = 0;
  let ok = 0;
  let failed = 0;
  const errors = new Set<string>();
  await new Promise<void>((resolve) => {
    let inFlight = 0;
    const finish = () => {
      if (inFlight === 0 && (next >= message.count || now() >= deadline)) resolve();
    };
    const open = (index: number) => {
      const endpoint = message.endpoints[(message.firstIndex + index) % message.endpoints.length];
      if (!endpoint) throw new Error('no endpoint');
      inFlight++;
      const port = nextPort++;
      const reader = new SseReader(
        index,
        endpoint,
        { address: sourceAddress(message, index), port },
        {
          ...events,
          onHead(_reader, success, detail) {
            inFlight--;
            if (success) {
              ok++;
              openReaders++;
            } else if (detail.includes('EADDRINUSE') && nextPort < LAST_PORT) {
              open(index);
              return;
            } else {
              failed++;
              if (errors.size < 5) errors.add(detail);
            }
            launch();
            finish();
          },
        },
      );
      reader.armTimeout(Math.max(1_000, Math.min(15_000, deadline - now())));
      if (index === 0) reader.keepData = true;
      readers[index] = reader;
    };
    const launch = () => {
      while (inFlight < message.concurrency && next < message.count && now() < deadline) {
        open(next++);
      }
    };
    launch();
    finish();
  });
  send({ type: 'connected', ok, failed, errors: [...errors], ms: now() - began });
}

/**
 * The storm: every reader that was open and has closed reconnects at once with Last-Event-ID,
 * as browsers do after an instance restart; one refused or failed tries again after retryMs.
 */
async function reconnect(message: Extract<ToClient, { type: 'reconnect' }>): Promise<void> {
  const began = now();
  const deadline = began + message.timeoutMs;
  const setup = connected;
  const waiting = setup ? readers.filter((r) => r.opened && !r.open) : [];
  let ok = 0;
  let failedAttempts = 0;
  const errors = new Set<string>();
  everyReader = true;
  await new Promise<void>((resolve) => {
    let inFlight = 0;
    let left = waiting.length;
    const queue = [...waiting];
    const finish = () => {
      if (left === 0 || (inFlight === 0 && now() >= deadline)) resolve();
    };
    const open = (old: SseReader) => {
      if (!setup) return;
      inFlight++;
      const endpoint = setup.endpoints[(setup.firstIndex + old.index) % setup.endpoints.length];
      if (!endpoint) throw new Error('no endpoint');
      const reader = new SseReader(
        old.index,
        endpoint,
        { address: sourceAddress(setup, old.index), port: nextPort++ },
        {
          ...events,
          onHead(_reader, success, detail) {
            inFlight--;
            if (success) {
              ok++;
              left--;
              openReaders++;
            } else {
              failedAttempts++;
              if (errors.size < 5) errors.add(detail);
              if (now() + message.retryMs < deadline) {
                setTimeout(() => open(old), message.retryMs);
              } else left--;
            }
            launch();
            finish();
          },
        },
        old,
      );
      // Like a browser's EventSource: no head timeout of its own; TCP retransmits a SYN the
      // server's full accept queue dropped, and giving up only to try again would cost the
      // server the abandoned connection's work too.
      reader.armTimeout(Math.max(1_000, deadline - now()));
      reader.keepData = old.keepData;
      // Marks are kept by index: the resumed reader carries on the old one's record.
      readers[old.index] = reader;
    };
    const launch = () => {
      while (inFlight < message.concurrency && queue.length > 0) open(queue.shift() as SseReader);
    };
    launch();
    finish();
    // Whatever is still on its way at the deadline has not resumed (its socket's own timer
    // restarts with each bit of activity, so it may fire later).
    setTimeout(resolve, message.timeoutMs).unref();
  });
  send({
    type: 'reconnected',
    asked: waiting.length,
    ok,
    failedAttempts,
    errors: [...errors],
    ms: now() - began,
  });
}

function shutdown(): never {
  for (const reader of readers) reader.destroy();
  process.exit(0);
}

process.on('message', (message: ToClient) => {
  switch (message.type) {
    case 'connect':
      void connect(message);
      break;
    case 'ping':
      send({ type: 'pong', t: message.t, tc: now() });
      break;
    case 'collect':
      pending = {
        marker: message.marker,
        first: null,
        timer: setTimeout(answerCollect, message.timeoutMs),
      };
      checkCollect();
      break;
    case 'reconnect':
      void reconnect(message);
      break;
    case 'collect-range':
      everyReader = message.everyReader ?? false;
      everOpen = readers.filter((reader) => reader.opened).length;
      pending = {
        marker: message.last,
        first: message.first,
        timer: setTimeout(answerCollect, message.timeoutMs),
      };
      checkCollect();
      break;
    case 'sample':
      send({ type: 'sample', data: readers[0]?.lastData ?? null });
      break;
    case 'status':
      send({
        type: 'status',
        open: openReaders,
        droppedAfterConnect,
        events: readers.reduce((sum, reader) => sum + reader.events, 0),
        bytes: readers.reduce((sum, reader) => sum + reader.bytes, 0),
        lastId: readers[0]?.lastId ?? '',
        idBreaks: readers.reduce((sum, reader) => sum + reader.idBreaks, 0),
        idRepeats: readers.reduce((sum, reader) => sum + reader.idRepeats, 0),
      });
      break;
    case 'close':
      shutdown();
  }
});
process.on('disconnect', shutdown);
process.on('SIGTERM', shutdown);
setTimeout(shutdown, maxMs).unref();
send({ type: 'ready' });
