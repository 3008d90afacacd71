import { DomainError } from '@backbone/platform';

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
  // 422, not 400: any token is well-formed as far as a schema can say; only the server can tell it is not one of its own
  throw new DomainError('BAD_CURSOR', 'cursor: must be the `next` value of a previous page', 422);
}
