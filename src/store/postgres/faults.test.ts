import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { freePort } from '../../../test/support/own-servers.ts';
import { isConnectionFault } from './faults.ts';

/** An error as node-postgres builds it from a server's ErrorResponse. */
function serverError(code: string, message: string): Error {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

const systemError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('which PostgreSQL errors mean "the database is unreachable"', () => {
  const faults: [string, Error][] = [
    ['refused', systemError('ECONNREFUSED')],
    ['reset', systemError('ECONNRESET')],
    ['timed out (socket)', systemError('ETIMEDOUT')],
    ['host unreachable', systemError('EHOSTUNREACH')],
    ['name not resolved', systemError('ENOTFOUND')],
    ['broken pipe', systemError('EPIPE')],
    [
      'pg_ctl stop -m fast',
      serverError('57P01', 'terminating connection due to administrator command'),
    ],
    [
      'pg_ctl stop -m immediate',
      serverError('57P02', 'terminating connection due to crash of another server process'),
    ],
    ['starting up', serverError('57P03', 'the database system is starting up')],
    ['too many connections', serverError('53300', 'sorry, too many clients already')],
    ['connection exception', serverError('08006', 'connection failure')],
    ['connection does not exist', serverError('08003', 'connection does not exist')],
    ['dropped socket', new Error('Connection terminated unexpectedly')],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['dead client', new Error('Client has encountered a connection error and is not queryable')],
    [
      'every address refused',
      new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')]),
    ],
  ];
  for (const [name, error] of faults) {
    it(`is a fault: ${name}`, () => assert.equal(isConnectionFault(error), true));
  }

  // Errors of the request or of our code must stay what they are (a 409, a 422, a 500).
  const notFaults: [string, unknown][] = [
    ['unique violation', serverError('23505', 'duplicate key value violates unique constraint')],
    ['syntax error', serverError('42601', 'syntax error at or near "x"')],
    ['bad text encoding', serverError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')],
    ['serialization failure', serverError('40001', 'could not serialize access')],
    ['a plain bug', new TypeError('Cannot read properties of undefined')],
    ['not an error', 'ECONNREFUSED'],
    ['mixed addresses', new AggregateError([systemError('ECONNREFUSED'), new TypeError('x')])],
  ];
  for (const [name, error] of notFaults) {
    it(`is not a fault: ${name}`, () => assert.equal(isConnectionFault(error), false));
  }

  it(
    'recognises what the driver really throws for a port where nothing listens',
    { timeout: 10_000 },
    async () => {
      const port = await freePort();
      const client = new pg.Client({ host: '127.0.0.1', port, connectionTimeoutMillis: 2000 });
      client.on('error', () => undefined);
      const error = await client.connect().then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(error instanceof Error);
      assert.equal(isConnectionFault(error), true, String(error));
    },
  );
});
