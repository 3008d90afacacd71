/**
 * What PostgreSQL cannot store, found before it is written. A text column refuses U+0000 (NUL) and
 * bytes that are not UTF-8; an indexed column refuses values over about 2,700 bytes. A message from
 * Kafka can carry any of these, so the inbox checks them first and dead-letters such a message with
 * its bytes kept as they came (bytea), instead of failing the same INSERT on every attempt.
 */

import { isUtf8 } from 'node:buffer';

/** Longest envelope attribute (id, type, correlation and causation ids) the inbox accepts. */
export const MAX_ATTRIBUTE_LENGTH = 256;

/**
 * Why these bytes cannot be read as text, or undefined when they can. Checked on the bytes, without
 * decoding them (the envelope's parse decodes them once): valid UTF-8 that has a 0x00 byte holds U+0000.
 */
export function utf8Problem(bytes: Buffer | null, what: string): string | undefined {
  if (bytes === null) return undefined;
  if (!isUtf8(bytes)) return `${what}: is not valid UTF-8`;
  if (bytes.includes(0)) return `${what}: contains U+0000 (NUL), which PostgreSQL cannot store`;
  return undefined;
}

/** The six characters `\u0000`: the only way a JSON text without a NUL byte yields U+0000 once parsed. */
const ESCAPED_NUL = Buffer.from('\\u0000');

/**
 * `nulPath` of `value`, parsed from the JSON text `bytes` (which utf8Problem has passed: no NUL byte).
 * Its walk runs only when the text holds the escape `\u0000`: JSON forbids a raw control character in a
 * string, so without that escape no string or key of the value can hold U+0000. An escaped backslash
 * followed by `u0000` also starts the walk, which then finds nothing.
 */
export function jsonNulPath(bytes: Buffer, value: unknown): string | undefined {
  return bytes.includes(ESCAPED_NUL) ? nulPath(value) : undefined;
}

/** The path of the first string (or object key) in a parsed JSON value that holds U+0000, if any. */
export function nulPath(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path || '(value)' : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) return childPath;
    const found = nulPath(child, childPath);
    if (found) return found;
  }
  return undefined;
}

/**
 * Text made safe for a text column: U+0000 written as the six characters `\u0000`, cut to `max`
 * characters. For reasons and labels only; the original bytes are kept beside them as bytea.
 */
export function storableText(text: string, max: number): string;
export function storableText(text: string | null | undefined, max: number): string | null;
export function storableText(text: string | null | undefined, max: number): string | null {
  if (text === null || text === undefined) return null;
  const safe = text.replaceAll('\u0000', '\\u0000');
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

/**
 * A PostgreSQL error that the same statement would raise on every attempt because of the data:
 * class 22 (data exception: invalid text, value too long, out of range…) or 54000 (a value over an
 * index's size limit). Such a failure is the message's, not the database's: retrying cannot help.
 */
export function unstorableDataError(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code ?? (error as { driverError?: { code?: unknown } }).driverError?.code ?? undefined;
  if (typeof code !== 'string' || !(code.startsWith('22') || code === '54000')) return undefined;
  return `PostgreSQL cannot store it (SQLSTATE ${code}): ${(error as Error).message}`;
}
