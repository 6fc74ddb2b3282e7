import { destination, pino, type Logger } from 'pino';

/** What the store and the bus need of a logger to report their faults (a pino logger). */
export type FaultLog = Pick<Logger, 'info' | 'warn' | 'error'>;

let fallback: FaultLog | null = null;

/**
 * For code that was given no logger (the CLI, tests): warnings as JSON on stderr, so that
 * stdout stays the command's own output.
 */
export function stderrLog(): FaultLog {
  fallback ??= pino({ level: 'warn' }, destination({ dest: 2, sync: true }));
  return fallback;
}

/**
 * The part of a connection error worth logging. Driver errors carry their client (with its
 * connection parameters, a password among them) and sockets; only message and code go out.
 */
export function faultSummary(error: unknown): { message: string; code?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  const message =
    error instanceof AggregateError && error.errors.length > 0
      ? error.errors
          .map((each: unknown) => (each instanceof Error ? each.message : String(each)))
          .join('; ')
      : error.message;
  return typeof code === 'string' ? { message, code } : { message };
}
