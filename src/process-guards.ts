import type { Logger } from 'pino';

/** Faults that reached the process level, for /metrics. */
export const processFaults = { unhandledRejections: 0 };

/**
 * The last line of defence, installed once per process by main.ts. Every EventEmitter and
 * promise is handled where it is made; a rejection that still escapes is a bug, and it is
 * logged (as JSON, with its stack) and counted instead of killing every reader's stream with
 * the process. An uncaught exception still stops the process (its state is unknown), but is
 * logged as JSON first.
 */
export function guardProcess(log: Logger): void {
  process.on('unhandledRejection', (reason) => {
    processFaults.unhandledRejections++;
    log.error(
      { err: reason },
      'unhandled promise rejection (a bug: it was not handled at its source)',
    );
  });
  process.on('uncaughtExceptionMonitor', (error, origin) => {
    log.fatal({ err: error, origin }, 'uncaught exception: the process stops');
  });
}
