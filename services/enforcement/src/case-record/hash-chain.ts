import { createHash } from 'node:crypto';

/** The hash before the first entry of every case. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth: one text for one value, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/** What an entry says, the part its hash covers (everything but the hashes themselves). */
export interface ChainedFacts {
  caseId: string;
  seq: number;
  kind: string;
  department: string;
  person: string | null;
  at: Date;
  detail: Record<string, unknown>;
}

export interface ChainedEntry extends ChainedFacts {
  prevHash: string;
  hash: string;
}

/** sha256 over the canonical JSON of the entry's facts followed by the previous entry's hash. */
export function entryHash(facts: ChainedFacts, prevHash: string): string {
  const body = canonicalJson({
    caseId: facts.caseId,
    seq: facts.seq,
    kind: facts.kind,
    department: facts.department,
    person: facts.person,
    at: new Date(facts.at).toISOString(),
    detail: facts.detail,
  });
  return createHash('sha256').update(body).update(prevHash).digest('hex');
}

/** A head hash the record must still reach: the case row's head, an anchor, a published decision. */
export interface ExpectedHead {
  seq: number;
  hash: string;
  source: string;
}

export interface ChainProblem {
  seq: number;
  problem: 'gap' | 'broken_link' | 'hash_mismatch' | 'anchor_mismatch' | 'truncated';
  detail: string;
}

export interface ChainVerification {
  valid: boolean;
  length: number;
  headHash: string;
  problems: ChainProblem[];
}

/**
 * Verifies a case's record: seq runs 1..n without gaps (a deleted or reordered entry), each entry links
 * to the hash of the one before (a deleted or reordered entry), each hash is recomputed from its facts
 * (an edited entry), and every head hash anchored elsewhere is still reached (a truncated tail, or a
 * record rewritten with consistent new hashes).
 */
export function verifyChain(entries: readonly ChainedEntry[], expectedHeads: readonly ExpectedHead[] = []): ChainVerification {
  const problems: ChainProblem[] = [];
  let prevHash = GENESIS_HASH;
  entries.forEach((entry, index) => {
    const expectedSeq = index + 1;
    if (entry.seq !== expectedSeq) {
      problems.push({ seq: entry.seq, problem: 'gap', detail: `entry at position ${expectedSeq} has seq ${entry.seq}` });
    }
    if (entry.prevHash !== prevHash) {
      problems.push({
        seq: entry.seq,
        problem: 'broken_link',
        detail: `previous hash ${entry.prevHash} is not the hash of the entry before (${prevHash})`,
      });
    }
    const recomputed = entryHash(entry, entry.prevHash);
    if (recomputed !== entry.hash) {
      problems.push({
        seq: entry.seq,
        problem: 'hash_mismatch',
        detail: `stored hash ${entry.hash}, recomputed ${recomputed}: the entry was changed`,
      });
    }
    prevHash = entry.hash;
  });
  for (const head of expectedHeads) {
    const entry = entries.find((candidate) => candidate.seq === head.seq);
    if (!entry) {
      problems.push({
        seq: head.seq,
        problem: 'truncated',
        detail: `${head.source} anchors entry ${head.seq}, which the record no longer has`,
      });
    } else if (entry.hash !== head.hash) {
      problems.push({
        seq: head.seq,
        problem: 'anchor_mismatch',
        detail: `${head.source} anchors ${head.hash} at entry ${head.seq}, the record has ${entry.hash}`,
      });
    }
  }
  return { valid: problems.length === 0, length: entries.length, headHash: prevHash, problems };
}
