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
