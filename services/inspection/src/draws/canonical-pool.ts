import { createHash } from 'node:crypto';

/**
 * The canonical form of a frozen target pool (检查对象名录库 snapshot), the text whose SHA-256 is
 * published before the draw. Documented in services/inspection/README.md ("Canonical pool form"):
 *
 *   one line per entity, `USCC <TAB> STRATUM <LF>`, sorted by USCC in byte order (ASCII), no header,
 *   no blank line, UTF-8 (all characters are ASCII). STRATUM is `K` for a key-supervision entity
 *   (重点监管对象), otherwise its credit tier `A`, `B`, `C` or `D`.
 *
 * The draw reads nothing else from the pool, so anyone holding this text, the seed and the published
 * ratios can re-run it.
 */
export const STRATA = ['A', 'B', 'C', 'D', 'K'] as const;
export type Stratum = (typeof STRATA)[number];

export interface PoolEntry {
  uscc: string;
  stratum: Stratum;
}

/**
 * The pool as the draw reads it: the canonical text itself and one byte per entity, `strata[i]` indexing
 * STRATA. A canonical line is always LINE_LENGTH characters (an 18-character USCC, a tab, one letter, a line
 * feed), so the i-th USCC is read from the text where it stands (`usccAt`): a million entries held as
 * strings or objects would cost the draw many times the text (ADR 0124).
 */
export interface ColumnarPool extends StrataPool {
  text: string;
}

/** What the draw's first step reads: the number of entities and each one's stratum, in USCC order. */
export interface StrataPool {
  size: number;
  strata: Uint8Array;
}

/** Characters of one canonical line: USCC (18), tab, stratum, line feed. */
export const LINE_LENGTH = 21;

/** The USCC of the pool's i-th entity (0-based, USCC order). */
export const usccAt = (pool: ColumnarPool, i: number): string => pool.text.slice(i * LINE_LENGTH, i * LINE_LENGTH + 18);

/** A stratum's letter → its index in STRATA. */
export const STRATUM_INDEX = new Map<string, number>(STRATA.map((stratum, index) => [stratum, index]));
const USCC_SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

export function stratumOf(tier: string, keySupervision: boolean): Stratum {
  if (keySupervision) return 'K';
  if (tier === 'A' || tier === 'B' || tier === 'C' || tier === 'D') return tier;
  throw new Error(`unknown credit tier ${tier}`);
}

/** The canonical text of a pool given in any order. Throws on a duplicate USCC. */
export function canonicalPool(entries: readonly PoolEntry[]): string {
  const sorted = [...entries].sort((a, b) => (a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].uscc === sorted[i - 1].uscc) throw new Error(`pool: USCC ${sorted[i].uscc} appears twice`);
  }
  return sorted.map((entry) => `${entry.uscc}\t${entry.stratum}\n`).join('');
}

/** Lowercase hex SHA-256 of the UTF-8 bytes of a text. */
export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The published pool hash: SHA-256 of the canonical text. */
export const poolHash = (canonicalText: string): string => sha256Hex(canonicalText);

/** The seed commitment published with the pool: SHA-256 of the seed's UTF-8 bytes. */
export const seedCommitment = (seed: string): string => sha256Hex(seed);

/**
 * Reads a canonical text back, checking that it is canonical (shape, order, no duplicates): a
 * verifier must refuse a pool that was not published in the documented form. Allocates one byte per
 * entity; a line that is not canonical is then described by `lineProblem`.
 */
export function parseCanonicalPool(text: string): ColumnarPool {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('pool: the text must end with a line feed');
  const size = Math.floor(text.length / LINE_LENGTH);
  const strata = new Uint8Array(size);
  const line = new RegExp(`${USCC_SHAPE.source.slice(1, -1)}\t([ABCDK])\n`, 'y');
  for (let i = 0; i < size; i++) {
    const start = i * LINE_LENGTH;
    line.lastIndex = start;
    const match = line.exec(text);
    if (match === null) throw new Error(lineProblem(text, start, i));
    strata[i] = STRATUM_INDEX.get(match[1])!;
    if (i > 0 && !ascending(text, start - LINE_LENGTH, start)) {
      throw new Error(`pool line ${i + 1}: not in ascending USCC order, or a duplicate`);
    }
  }
  if (size * LINE_LENGTH !== text.length) throw new Error(lineProblem(text, size * LINE_LENGTH, size));
  return { text, size, strata };
}

/** Whether the USCC at `b` comes strictly after the one at `a` in byte order (the text is ASCII). */
function ascending(text: string, a: number, b: number): boolean {
  for (let k = 0; k < 18; k++) {
    const x = text.charCodeAt(a + k);
    const y = text.charCodeAt(b + k);
    if (x !== y) return x < y;
  }
  return false;
}

/** What is wrong with the line starting at `start` (the `index`-th), which is not a canonical line. */
function lineProblem(text: string, start: number, index: number): string {
  const end = text.indexOf('\n', start);
  const tab = text.indexOf('\t', start);
  if (tab < 0 || tab > end) return `pool line ${index + 1}: expected USCC<TAB>STRATUM`;
  const uscc = text.slice(start, tab);
  if (!USCC_SHAPE.test(uscc)) return `pool line ${index + 1}: ${uscc} is not a USCC`;
  return `pool line ${index + 1}: unknown stratum ${text.slice(tab + 1, end)}`;
}
