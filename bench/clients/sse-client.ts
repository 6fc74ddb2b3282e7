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
  if (pending && (counts.get(pending.marker) ?? 0) >= openReaders) answerCollect();
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

async function connect(message: Extract<ToClient, { type: 'connect' }>): Promise<void> {
  const began = now();
  const deadline = began + message.timeoutMs;
  let nextPort = FIRST_PORT;
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
        { address: message.localAddress, port },
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
    case 'collect-range':
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
