import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DomainError, PlatformError } from './errors';

/**
 * Keyset pagination: the cursor is the sort key of the last row given (opaque, URL-safe), so a page
 * is one index range scan whatever its depth, and rows added meanwhile neither repeat nor vanish.
 */
export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): string[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === length && parts.every((part) => typeof part === 'string')) return parts;
  } catch {
    // falls through
  }
  throw new DomainError(PlatformError.BAD_CURSOR, 'cursor: must be the `next` value of a previous page', 422);
}

/** The most rows one page gives. */
export const MAX_PAGE_SIZE = 500;

/** `cursor` and `limit` of a keyset-paginated list (extend it with the list's own filters). */
export class PageQuery {
  @ApiPropertyOptional({ description: 'Opaque: the `next` cursor of the previous page (absent: the first page)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor: must be the `next` value of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ description: 'Rows per page (each list states its default)', minimum: 1, maximum: MAX_PAGE_SIZE })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: 'limit: must be a whole number' })
  @Min(1, { message: `limit: must be between 1 and ${MAX_PAGE_SIZE}` })
  @Max(MAX_PAGE_SIZE, { message: `limit: must be between 1 and ${MAX_PAGE_SIZE}` })
  limit?: number;
}

/** Header that carries the cursor of the next page on lists that answer a bare JSON array. */
export const NEXT_CURSOR_HEADER = 'X-Next-Cursor';

/**
 * A row's place in a list ordered by (time, id). `at` is the time as PostgreSQL wrote it (e.g.
 * `to_json(col) #>> '{}'`, microseconds included): a JavaScript Date would round it to milliseconds, and
 * the row it came from would come again on the next page.
 */
export interface KeysetPosition {
  at: string;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/;

/** The cursor of a (time, id) position. */
export function encodeKeysetCursor(position: KeysetPosition): string {
  return encodeCursor([position.at, position.id]);
}

/** The (time, id) position a cursor names; anything else answers 422 BAD_CURSOR naming the field. */
export function decodeKeysetCursor(cursor: string): KeysetPosition {
  const [at, id] = decodeCursor(cursor, 2);
  if (!TIMESTAMP.test(at) || Number.isNaN(Date.parse(at)) || !UUID.test(id))
    throw new DomainError(PlatformError.BAD_CURSOR, 'cursor: must be the `next` value of a previous page', 422);
  return { at, id };
}
