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

/** The pool in columns (a million entries would cost far more as objects). `strata[i]` indexes STRATA. */
export interface ColumnarPool {
  usccs: string[];
  strata: Uint8Array;
}

const STRATUM_INDEX = new Map<string, number>(STRATA.map((stratum, index) => [stratum, index]));
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
 * verifier must refuse a pool that was not published in the documented form.
 */
export function parseCanonicalPool(text: string): ColumnarPool {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('pool: the text must end with a line feed');
  const count = text.length === 0 ? 0 : text.split('\n').length - 1;
  const usccs = new Array<string>(count);
  const strata = new Uint8Array(count);
  let start = 0;
  for (let i = 0; i < count; i++) {
    const end = text.indexOf('\n', start);
    const tab = text.indexOf('\t', start);
    if (tab < 0 || tab > end) throw new Error(`pool line ${i + 1}: expected USCC<TAB>STRATUM`);
    const uscc = text.slice(start, tab);
    const stratum = STRATUM_INDEX.get(text.slice(tab + 1, end));
    if (!USCC_SHAPE.test(uscc)) throw new Error(`pool line ${i + 1}: ${uscc} is not a USCC`);
    if (stratum === undefined) throw new Error(`pool line ${i + 1}: unknown stratum ${text.slice(tab + 1, end)}`);
    if (i > 0 && !(usccs[i - 1] < uscc)) throw new Error(`pool line ${i + 1}: not in ascending USCC order, or a duplicate`);
    usccs[i] = uscc;
    strata[i] = stratum;
    start = end + 1;
  }
  return { usccs, strata };
}
