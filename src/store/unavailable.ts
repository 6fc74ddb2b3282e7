/**
 * Thrown by a store adapter when the database cannot be reached at all (refused, restarting,
 * connection dropped, timed out): not a fault of the request, and gone when the database is
 * back. src/http/problem.ts answers it with 503 DATABASE_UNAVAILABLE and Retry-After.
 */
export class DatabaseUnavailable extends Error {
  constructor(cause: unknown) {
    super(
      `The database is unreachable: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
    this.name = 'DatabaseUnavailable';
  }
}
