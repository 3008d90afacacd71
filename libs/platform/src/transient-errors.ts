/**
 * Tells an outage from a failure. A dependency that is down, starting up or shutting down, and a
 * transaction that lost a serialization or deadlock race, say nothing about the work that was being
 * done: the same work succeeds once the dependency is back. Such errors are paused and retried (the
 * inbox does not count them as attempts; REST answers 503 with Retry-After); everything else is the
 * work's own failure.
 */

/** What a transient error is: a dependency that does not answer, or a race lost inside the database. */
export interface TransientError {
  kind: 'outage' | 'conflict';
  dependency: 'database' | 'kafka';
  /** Why, in a few words (the SQLSTATE or socket error code where there is one). */
  reason: string;
}

/** SQLSTATEs of a server that is not there for now (connection lost, starting up, shutting down, full). */
const DATABASE_OUTAGE_STATES: Record<string, string> = {
  '57P01': 'the database administrator terminated the connection (shutting down)',
  '57P02': 'the database crashed (crash shutdown)',
  '57P03': 'the database cannot accept connections now (starting up or shutting down)',
  '53300': 'the database has too many connections',
  '25006': 'the database is read-only (a standby, or failing over)',
};

/** SQLSTATEs of a transaction that lost a race: run it again. */
const DATABASE_CONFLICT_STATES: Record<string, string> = {
  '40001': 'serialization failure',
  '40P01': 'deadlock detected',
  '55P03': 'lock not available',
};

/** Socket errors: the peer is not there, or went away. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** node-postgres and pg-pool say these without a code when the server is gone. */
const DATABASE_CONNECTION_MESSAGES = [
  /^Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error and is not queryable/i,
  /Client was closed and is not queryable/i,
  /Cannot use a pool after calling end on the pool/i,
  /terminating connection due to/i,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
];

/** kafkajs errors that mean "the broker does not answer now". */
const KAFKA_OUTAGE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNumberOfRetriesExceeded',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSLockTimeout',
  'KafkaJSStaleTopicMetadataAssignment',
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  retriable?: unknown;
  driverError?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
}

/** The transient cause of an error (looking through wrappers: TypeORM's driverError, causes, aggregates), or undefined. */
export function transientError(error: unknown, depth = 0): TransientError | undefined {
  if (depth > 5 || error === null || typeof error !== 'object') return undefined;
  const e = error as ErrorLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : '';

  if (code && DATABASE_CONFLICT_STATES[code])
    return { kind: 'conflict', dependency: 'database', reason: `${code} ${DATABASE_CONFLICT_STATES[code]}` };
  if (code && DATABASE_OUTAGE_STATES[code])
    return { kind: 'outage', dependency: 'database', reason: `${code} ${DATABASE_OUTAGE_STATES[code]}` };
  // Class 08: connection exception.
  if (code && /^08[0-9A-Z]{3}$/.test(code)) return { kind: 'outage', dependency: 'database', reason: `${code} connection exception` };

  if (name.startsWith('KafkaJS')) {
    if (KAFKA_OUTAGE_NAMES.has(name)) return { kind: 'outage', dependency: 'kafka', reason: `${name}: ${message}` };
    const inner = transientError(e.cause ?? e.originalError, depth + 1);
    if (inner) return { ...inner, dependency: 'kafka' };
    if (e.retriable === true) return { kind: 'outage', dependency: 'kafka', reason: `${name}: ${message}` };
    return undefined;
  }

  if (code && SOCKET_CODES.has(code)) return { kind: 'outage', dependency: 'database', reason: `${code} ${message}`.trim() };
  if (DATABASE_CONNECTION_MESSAGES.some((pattern) => pattern.test(message)))
    return { kind: 'outage', dependency: 'database', reason: message };

  for (const inner of [e.driverError, e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : [])]) {
    const found = transientError(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** True when the error says nothing about the work: retry it later, and do not count it against the work. */
export function isTransientError(error: unknown): boolean {
  return transientError(error) !== undefined;
}
