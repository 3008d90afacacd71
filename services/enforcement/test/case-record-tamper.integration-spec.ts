import { InProcessService, testUscc } from '@backbone/testing';
import { decidedCase, startEnforcement } from './enforcement-test-app';

/**
 * The full-process record against an attacker with the database in hand: the service's own role
 * cannot change or delete entries (triggers), and a superuser who bypasses the triggers (replica
 * mode) is caught by the verification endpoint, whether it edits, deletes, reorders or truncates.
 */
describe('the case record against tampering (real PostgreSQL)', () => {
  let system: InProcessService;
  let n = 0;

  beforeAll(async () => {
    system = await startEnforcement();
  });

  afterAll(async () => {
    await system?.stop();
  });

  const verification = async (id: string) => (await system.call('320700-SAMR', 'GET', `/cases/${id}/record/verification`)).body;

  async function tamper(id: string, ...statements: string[]): Promise<void> {
    const db = await system.sql();
    await db.query('BEGIN');
    await db.query(`SET LOCAL session_replication_role = replica`); // triggers off: the attacker is a superuser
    for (const statement of statements) await db.query(statement, [id]);
    await db.query('COMMIT');
  }

  async function freshCase(): Promise<string> {
    const id = await decidedCase(system, testUscc(8_100_000 + ++n), `连市监罚〔2026〕${n}号`);
    const verified = await verification(id);
    expect(verified).toMatchObject({ valid: true, length: 8, problems: [] });
    return id;
  }

  it('records every step, in order, hash-chained, and verifies it', async () => {
    const id = await freshCase();
    const record = (await system.call('320700-SAMR', 'GET', `/cases/${id}/record`)).body;
    expect(record.map((entry: { kind: string }) => entry.kind)).toEqual([
      'opened',
      'investigation_started',
      'evidence_added',
      'evidence_added',
      'legal_review_requested',
      'legal_review_approved',
      'decided',
      'decision_served',
    ]);
    expect(record[2]).toMatchObject({ seq: 3, person: '李强', detail: { reference: 'EV-1' } });
    expect(record[3].prevHash).toBe(record[2].hash);
    const caseView = (await system.call('320700-SAMR', 'GET', `/cases/${id}`)).body;
    expect(caseView.decision.recordHead).toEqual({ seq: 7, hash: record[6].hash });
    expect(caseView.record).toEqual({ length: 8, headHash: record[7].hash });
    // Another department may not read it.
    expect((await system.call('320700-HEALTH', 'GET', `/cases/${id}/record`)).status).toBe(403);
  });

  it('refuses UPDATE, DELETE and TRUNCATE while the append-only triggers stand (even to a superuser)', async () => {
    const id = await freshCase();
    const db = await system.sql();
    await expect(db.query(`UPDATE case_log_entry SET person = '王芳' WHERE case_id = $1 AND seq = 3`, [id])).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM case_log_entry WHERE case_id = $1 AND seq = 8`, [id])).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE case_log_entry CASCADE`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM case_log_anchor WHERE case_id = $1`, [id])).rejects.toThrow(/append-only/);
    expect((await verification(id)).valid).toBe(true);
  });

  it('detects an edited entry', async () => {
    const id = await freshCase();
    await tamper(id, `UPDATE case_log_entry SET detail = jsonb_set(detail, '{reference}', '"EV-FORGED"') WHERE case_id = $1 AND seq = 3`);
    expect(await verification(id)).toMatchObject({
      valid: false,
      problems: [expect.objectContaining({ seq: 3, problem: 'hash_mismatch' })],
    });
  });

  it('detects an edited entry even with its hash recomputed', async () => {
    const id = await freshCase();
    const db = await system.sql();
    const [entry] = (await db.query(`SELECT * FROM case_log_entry WHERE case_id = $1 AND seq = 4`, [id])).rows;
    const { entryHash } = await import('../src/case-record/hash-chain');
    const forged = {
      caseId: id,
      seq: 4,
      kind: entry.kind,
      department: entry.department,
      person: '王芳',
      at: entry.at,
      detail: entry.detail,
    };
    await tamper(
      id,
      `UPDATE case_log_entry SET person = '王芳', hash = '${entryHash(forged, entry.prev_hash)}' WHERE case_id = $1 AND seq = 4`,
    );
    const verified = await verification(id);
    expect(verified.valid).toBe(false);
    expect(verified.problems).toContainEqual(expect.objectContaining({ seq: 5, problem: 'broken_link' }));
  });

  it('detects a deleted entry', async () => {
    const id = await freshCase();
    await tamper(id, `DELETE FROM case_log_entry WHERE case_id = $1 AND seq = 4`);
    const problems = (await verification(id)).problems.map((p: { problem: string }) => p.problem);
    expect(problems).toEqual(expect.arrayContaining(['gap', 'broken_link']));
  });

  it('detects reordered entries', async () => {
    const id = await freshCase();
    await tamper(
      id,
      `UPDATE case_log_entry SET seq = 100 WHERE case_id = $1 AND seq = 3`,
      `UPDATE case_log_entry SET seq = 3 WHERE case_id = $1 AND seq = 4`,
      `UPDATE case_log_entry SET seq = 4 WHERE case_id = $1 AND seq = 100`,
    );
    const verified = await verification(id);
    expect(verified.valid).toBe(false);
    expect(verified.problems.map((p: { problem: string }) => p.problem)).toEqual(expect.arrayContaining(['hash_mismatch', 'broken_link']));
  });

  it('detects a truncated record, by the case head, the anchors and the published decision', async () => {
    const id = await freshCase();
    await tamper(id, `DELETE FROM case_log_entry WHERE case_id = $1 AND seq >= 6`);
    const verified = await verification(id);
    expect(verified).toMatchObject({ valid: false, length: 5 });
    const details = verified.problems
      .filter((p: { problem: string }) => p.problem === 'truncated')
      .map((p: { detail: string }) => p.detail)
      .join('\n');
    expect(details).toContain('the case head');
    expect(details).toContain('the decision anchor');
    expect(details).toContain('decision 连市监罚');
  });

  it('detects a truncation whose attacker also rewound the case head: the anchors and the published decision remain', async () => {
    const id = await freshCase();
    const db = await system.sql();
    const [head] = (await db.query(`SELECT hash FROM case_log_entry WHERE case_id = $1 AND seq = 5`, [id])).rows;
    await tamper(
      id,
      `DELETE FROM case_log_entry WHERE case_id = $1 AND seq >= 6`,
      `UPDATE enforcement_case SET log_head_seq = 5, log_head_hash = '${head.hash}' WHERE id = $1`,
    );
    const verified = await verification(id);
    expect(verified.valid).toBe(false);
    expect(verified.problems).toContainEqual(expect.objectContaining({ seq: 7, problem: 'truncated' }));
    // The public list still shows the head anchored at decision time, which the record no longer reaches.
    const published = (await system.call(null, 'GET', `/publicity/decisions`)).body.find((d: { caseId: string }) => d.caseId === id);
    expect(published.recordHead.seq).toBe(7);
  });
});
