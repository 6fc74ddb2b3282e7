/**
 * Deadlines for waits on sockets and streams: a test whose awaited thing never comes fails
 * in seconds, saying what never arrived, instead of at the runner's global deadline.
 */

/** Resolves as `promise` does, or rejects after `ms` with "<what> within <ms> ms". */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether `promise` settles within `ms` (it keeps running either way): for a test that a
 * wait is held, and then that it is let go.
 */
export async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const settled = await Promise.race([promise.then(() => true as const), late]);
  clearTimeout(timer);
  return settled;
}

/**
 * Polls `check` every 10 ms until it holds; after `ms` fails with `failure(ms)`, which says
 * what never arrived and what did, e.g. "no event with id 7 within 3000 ms (got ids 1-6)".
 */
export async function until(
  check: () => boolean,
  ms: number,
  failure: (ms: number) => string,
): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(failure(ms));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Event ids as short ranges for a failure message: "1-6, 9" (or "none"). */
export function idRanges(ids: readonly (string | number | undefined)[]): string {
  const parts: string[] = [];
  let start: number | null = null;
  let previous: number | null = null;
  const flush = () => {
    if (start === null || previous === null) return;
    parts.push(start === previous ? String(start) : `${start}-${previous}`);
  };
  for (const raw of ids) {
    const id = Number(raw);
    if (raw === undefined || !Number.isInteger(id)) {
      flush();
      start = previous = null;
      parts.push(raw === undefined ? '(no id)' : String(raw));
      continue;
    }
    if (previous !== null && id === previous + 1) previous = id;
    else {
      flush();
      start = previous = id;
    }
  }
  flush();
  return parts.length > 0 ? parts.join(', ') : 'none';
}
