/**
 * Which driver errors mean "PostgreSQL cannot be reached" rather than "this query is wrong".
 * The one place that knows: the pool (guarded-pool.ts) turns these into DatabaseUnavailable.
 */

/** Socket-level failures: refused, reset, unreachable, name not resolved, timed out. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that is going or not yet there. Class 08 is "connection exception";
 * 57P01 admin_shutdown (pg_ctl stop -m fast), 57P02 crash_shutdown (-m immediate),
 * 57P03 cannot_connect_now (starting up or recovering), 53300 too_many_connections.
 * https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** node-postgres's own messages for a connection that died or never came. */
const DRIVER_MESSAGES = [
  /^Connection terminated/, // "... unexpectedly", "... due to connection timeout"
  /^timeout exceeded when trying to connect$/, // pg-pool's connectionTimeoutMillis
  /is not queryable$/, // a client whose connection already failed
  /^Query read timeout$/,
  /^terminating connection due to administrator command$/,
];

export function isConnectionFault(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08')) return true;
  }
  // An AggregateError (one per address tried) is a fault when every attempt was.
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.every(isConnectionFault);
  }
  return DRIVER_MESSAGES.some((pattern) => pattern.test(error.message));
}
