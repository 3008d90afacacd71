import { DomainError, PlatformError } from './errors';

/**
 * A row's place in a keyset-paginated list ordered by (time, id). `at` is the time as PostgreSQL wrote it
 * (e.g. `to_json(col) #>> '{}'`, microseconds included): a JavaScript Date would round it to milliseconds,
 * and the row it came from would come again on the next page.
 */
export interface KeysetPosition {
  at: string;
  id: string;
}

/**
 * Keyset pagination over (time, id): the cursor is the sort key of the last row given (opaque, URL-safe),
 * so a page is one index range scan whatever its depth, and rows added meanwhile neither repeat nor vanish.
 */
export function encodeKeysetCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The position a cursor names; a cursor that is not one given out answers 400 BAD_CURSOR naming the field. */
export function decodeKeysetCursor(cursor: string, field = 'cursor'): KeysetPosition {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === 2 && typeof parts[0] === 'string' && typeof parts[1] === 'string') {
      const [at, id] = parts as [string, string];
      if (/^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(at) && !Number.isNaN(Date.parse(at)) && UUID.test(id)) return { at, id };
    }
  } catch {
    // falls through
  }
  throw new DomainError(PlatformError.BAD_CURSOR, `${field}: must be the \`next\` value of a previous page`, 400);
}
