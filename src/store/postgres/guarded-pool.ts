import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';
import { faultSummary, type FaultLog } from '../../log.ts';
import { DatabaseUnavailable } from '../unavailable.ts';
import { isConnectionFault } from './faults.ts';

/**
 * The pg pool as Kysely sees it, made safe for a database that restarts:
 * - every connection has an 'error' listener, idle (the pool's, plus ours on the pool) or
 *   checked out (ours): a connection that dies emits 'error', and an EventEmitter 'error'
 *   with no listener kills the process;
 * - connection faults become DatabaseUnavailable, in this one place; other errors (a unique
 *   violation, a bad query) pass through untouched;
 * - the outage is logged once when it starts and once when it ends, not once per request.
 * A dead connection is dropped by the pool (it checks `_queryable` on release) and the next
 * request opens a new one: service resumes by itself when the database is back.
 */
export class GuardedPool implements PostgresPool {
  private down = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: FaultLog,
  ) {
    pool.on('error', (error) => this.fault(error));
  }

  async connect(): Promise<PostgresPoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.translate(error);
    }
    return new GuardedClient(client, this);
  }

  end(): Promise<void> {
    return this.pool.end();
  }

  /** Records a fault: logged when it begins an outage. */
  fault(error: unknown): void {
    if (this.down) return;
    this.down = true;
    this.log.warn(
      { database: 'down', error: faultSummary(error) },
      'PostgreSQL is unreachable; requests get 503 until it is back',
    );
  }

  /** Records a query that worked: logged when it ends an outage. */
  ok(): void {
    if (!this.down) return;
    this.down = false;
    this.log.info({ database: 'up' }, 'PostgreSQL is reachable again');
  }

  /** A connection fault as DatabaseUnavailable; any other error as it was. */
  translate(error: unknown): unknown {
    if (!isConnectionFault(error)) return error;
    this.fault(error);
    return new DatabaseUnavailable(error);
  }
}

/** One checked-out connection: listens for its death and translates its errors. */
class GuardedClient implements PostgresPoolClient {
  /** Set when this connection failed: it goes back to the pool only to be thrown away. */
  private broken = false;
  private readonly onError = (error: Error) => {
    this.broken = true;
    this.owner.fault(error);
  };

  constructor(
    private readonly client: pg.PoolClient,
    private readonly owner: GuardedPool,
  ) {
    client.on('error', this.onError);
  }

  query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters?: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // Liveline configures no cursor, so Kysely never streams through one.
    if (typeof sqlOrCursor !== 'string') throw new Error('cursors are not supported');
    return this.run<R>(sqlOrCursor, parameters ?? []);
  }

  private async run<R>(
    sql: string,
    parameters: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> {
    try {
      const result = await this.client.query(sql, [...parameters]);
      this.owner.ok();
      return result as unknown as PostgresQueryResult<R>;
    } catch (error) {
      const translated = this.owner.translate(error);
      if (translated instanceof DatabaseUnavailable) this.broken = true;
      throw translated;
    }
  }

  release(): void {
    // The pool puts its own idle listener back before anything else can run.
    this.client.off('error', this.onError);
    this.client.release(this.broken);
  }
}
