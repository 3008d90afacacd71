import { canonicalJson, ChainedEntry, entryHash, GENESIS_HASH, verifyChain } from './hash-chain';

function chain(n: number): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const facts = {
      caseId: 'case-1',
      seq,
      kind: `step-${seq}`,
      department: '320700-SAMR',
      person: '李强',
      at: new Date(Date.UTC(2026, 2, seq)),
      detail: { n: seq, evidence: { reference: `EV-${seq}` } },
    };
    const hash = entryHash(facts, prevHash);
    entries.push({ ...facts, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

describe('canonicalJson', () => {
  it('is the same text whatever the key order, at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [2, { e: 0, f: 1 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: 'x' })).toBe('{"a":"x","b":1}');
  });
});

describe('entryHash', () => {
  it('is sha256 hex, and depends on every fact and on the previous hash', () => {
    const [entry] = chain(1);
    expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entryHash({ ...entry, detail: { n: 1, evidence: { reference: 'EV-X' } } }, entry.prevHash)).not.toBe(entry.hash);
    expect(entryHash({ ...entry, person: '王芳' }, entry.prevHash)).not.toBe(entry.hash);
    expect(entryHash(entry, 'f'.repeat(64))).not.toBe(entry.hash);
  });
});

describe('verifyChain', () => {
  it('accepts an intact record and returns its head', () => {
    const entries = chain(5);
    expect(verifyChain(entries, [{ seq: 5, hash: entries[4].hash, source: 'the case head' }])).toEqual({
      valid: true,
      length: 5,
      headHash: entries[4].hash,
      problems: [],
    });
  });

  it('detects an edited entry', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2], detail: { n: 3, evidence: { reference: 'EV-FORGED' } } };
    expect(verifyChain(entries).problems).toEqual([expect.objectContaining({ seq: 3, problem: 'hash_mismatch' })]);
  });

  it('detects an edited entry whose hash was recomputed (the next link breaks)', () => {
    const entries = chain(5);
    const forged = { ...entries[2], person: '王芳' };
    entries[2] = { ...forged, hash: entryHash(forged, forged.prevHash) };
    expect(verifyChain(entries).problems).toEqual([expect.objectContaining({ seq: 4, problem: 'broken_link' })]);
  });

  it('detects a deleted entry', () => {
    const entries = chain(5);
    entries.splice(1, 1);
    const problems = verifyChain(entries).problems.map((p) => p.problem);
    expect(problems).toContain('gap');
    expect(problems).toContain('broken_link');
  });

  it('detects reordered entries', () => {
    const entries = chain(5);
    [entries[1], entries[2]] = [entries[2], entries[1]];
    expect(verifyChain(entries).valid).toBe(false);
    // Renumbered to hide the swap: the hashes cover seq.
    const renumbered = entries.map((entry, index) => ({ ...entry, seq: index + 1 }));
    expect(verifyChain(renumbered).problems.map((p) => p.problem)).toContain('hash_mismatch');
  });

  it('detects a truncated tail only against an anchored head, and names the anchor', () => {
    const entries = chain(5);
    const heads = [{ seq: 5, hash: entries[4].hash, source: 'decision X' }];
    const truncated = entries.slice(0, 3);
    expect(verifyChain(truncated).valid).toBe(true);
    expect(verifyChain(truncated, heads).problems).toEqual([
      expect.objectContaining({ seq: 5, problem: 'truncated', detail: expect.stringContaining('decision X') }),
    ]);
  });

  it('detects a whole record rewritten with consistent hashes against an anchor', () => {
    const original = chain(3);
    const rewritten = chain(3).map((entry) => ({ ...entry }));
    let prevHash = GENESIS_HASH;
    for (const entry of rewritten) {
      entry.kind = 'forged';
      entry.prevHash = prevHash;
      entry.hash = entryHash(entry, prevHash);
      prevHash = entry.hash;
    }
    expect(verifyChain(rewritten, [{ seq: 3, hash: original[2].hash, source: 'the decision anchor' }]).problems).toEqual([
      expect.objectContaining({ seq: 3, problem: 'anchor_mismatch' }),
    ]);
  });
});
