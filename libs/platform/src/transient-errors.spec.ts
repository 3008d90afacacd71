import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { DomainError } from './errors';
import { isTransientError, transientError } from './transient-errors';

/** A server error as node-postgres raises it (SQLSTATE in `code`). */
function pgError(code: string, message = 'server said no'): DatabaseError {
  const error = new DatabaseError(message, 0, 'error');
  error.code = code;
  return error;
}

/** The same, wrapped the way TypeORM hands it to a handler. */
function typeormError(code: string): QueryFailedError {
  return new QueryFailedError('INSERT INTO inbox …', [], pgError(code));
}

function socketError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: -111, syscall: 'connect' });
}

describe('transient errors: an outage is not a failure of the work', () => {
  it.each([
    ['the database is shutting down (57P01 admin_shutdown)', typeormError('57P01'), 'outage', 'database'],
    ['the database crashed (57P02 crash_shutdown)', pgError('57P02'), 'outage', 'database'],
    [
      'the database is starting up (57P03 cannot_connect_now)',
      pgError('57P03', 'the database system is starting up'),
      'outage',
      'database',
    ],
    ['too many connections (53300)', pgError('53300'), 'outage', 'database'],
    ['a connection exception (class 08)', pgError('08006'), 'outage', 'database'],
    ['a serialization failure (40001)', typeormError('40001'), 'conflict', 'database'],
    ['a deadlock (40P01)', typeormError('40P01'), 'conflict', 'database'],
    ['connection refused', socketError('ECONNREFUSED'), 'outage', 'database'],
    ['connection reset', socketError('ECONNRESET'), 'outage', 'database'],
    ['node-postgres: connection terminated unexpectedly', new Error('Connection terminated unexpectedly'), 'outage', 'database'],
    ['pg-pool: no connection in time', new Error('timeout exceeded when trying to connect'), 'outage', 'database'],
    [
      'a refused connection inside an AggregateError (both address families)',
      Object.assign(new AggregateError([socketError('ECONNREFUSED')], 'connect failed'), {}),
      'outage',
      'database',
    ],
    ['Kafka: no connection to the broker', new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'), 'outage', 'kafka'],
    [
      'Kafka: retries exhausted on a refused connection',
      new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('Connection error'), { retryCount: 5, retryTime: 1000 }),
      'outage',
      'kafka',
    ],
  ])('%s', (_case, error, kind, dependency) => {
    expect(transientError(error)).toMatchObject({ kind, dependency });
  });

  it.each([
    ['a broken rule (DomainError)', new DomainError('TASK_ALREADY_CLAIMED', 'the task is claimed')],
    ['a unique violation (23505): the handler wrote a row twice', typeormError('23505')],
    ['a not-null violation (23502)', typeormError('23502')],
    ['a syntax error in the handler SQL (42601)', typeormError('42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a non-retriable Kafka error', new KafkaJSNonRetriableError('Invalid message')],
    [
      'a Kafka protocol error the broker will repeat',
      new KafkaJSProtocolError(Object.assign(new Error('too large'), { type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false })),
    ],
    ['not an error at all', 'oops'],
    ['nothing', undefined],
  ])('%s is the work’s own failure', (_case, error) => {
    expect(isTransientError(error)).toBe(false);
  });
});
