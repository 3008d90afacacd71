import { randomUUID } from 'node:crypto';
import { CreditRepairApprovedV1, UnlicensedOperationClueV1 } from '@backbone/contracts';
import { InProcessService, testUscc, waitFor } from '@backbone/testing';
import { decidedCase, startEnforcement } from './enforcement-test-app';

/**
 * Cases from their sources (an unlicensed-operation clue, a transfer, a complaint, by hand) and the
 * lawful course of a major decision, on real Kafka and PostgreSQL.
 */
describe('enforcement cases, the lawful way', () => {
  let system: InProcessService;

  beforeAll(async () => {
    system = await startEnforcement();
  });

  afterAll(async () => {
    await system?.stop();
  });

  const outboxTypes = async (caseId: string) => {
    const db = await system.sql();
    const rows = await db.query(
      `SELECT event_type FROM outbox WHERE convert_from(value, 'UTF8')::jsonb -> 'data' ->> 'caseId' = $1 ORDER BY id`,
      [caseId],
    );
    return rows.rows.map((row: { event_type: string }) => row.event_type.replace(/^backbone\.enforcement\.|\.v1$/g, ''));
  };
  const recordKinds = async (caseId: string, department: 'SAMR' | 'HEALTH' = 'SAMR') =>
    (await system.call(`320700-${department}`, 'GET', `/cases/${caseId}/record`)).body.map((entry: { kind: string }) => entry.kind);

  async function openByHand(uscc: string, violationCodes = ['FOOD-HYGIENE-01']) {
    const opened = await system.call('320700-SAMR', 'POST', '/cases', { uscc, violationCodes, openedBy: '王芳', reason: '举报核查' });
    expect(opened.status).toBe(201);
    return opened.body.id as string;
  }

  it('opens a case for an unlicensed-operation clue in the department the clue names, once', async () => {
    const uscc = testUscc(8_200_001);
    const clue: UnlicensedOperationClueV1 = {
      clueId: randomUUID(),
      uscc,
      entityName: '某无证餐馆',
      department: '320700-HEALTH',
      basis: 'no_permit',
      reason: '未取得许可从事经营',
      detectedAt: new Date().toISOString(),
    };
    await system.publish(UnlicensedOperationClueV1, clue, uscc, randomUUID());
    await system.publish(UnlicensedOperationClueV1, clue, uscc, randomUUID()); // the same clue again, under another event id
    const found = await waitFor('the case from the clue', async () => {
      const cases = (await system.call('320700-HEALTH', 'GET', `/cases?uscc=${uscc}`)).body;
      return cases.length > 0 ? cases : undefined;
    });
    const db = await system.sql();
    await waitFor(
      'both events consumed',
      async () => Number((await db.query(`SELECT count(*) AS n FROM inbox`)).rows[0].n) >= 2 || undefined,
    );
    expect((await system.call('320700-HEALTH', 'GET', `/cases?uscc=${uscc}`)).body).toHaveLength(1);
    expect(found[0]).toMatchObject({
      department: '320700-HEALTH',
      source: 'unlicensed_clue',
      status: 'opened',
      violationCodes: ['UNLICENSED-NO-PERMIT'],
    });
    expect(await outboxTypes(found[0].id)).toEqual(['case-opened']);
    expect(await recordKinds(found[0].id, 'HEALTH')).toEqual(['opened']);
  });

  it('transfers a case to the competent department, which gets a case of its own; the first closes as transferred', async () => {
    const uscc = testUscc(8_200_002);
    const id = await openByHand(uscc, ['FOOD-001']);
    const self = await system.call('320700-SAMR', 'POST', `/cases/${id}/transfer`, {
      target: 'department',
      toDepartment: '320700-SAMR',
      reason: 'x',
      transferredBy: '王芳',
    });
    expect(self.body.code).toBe('TRANSFER_TO_SELF');
    const transferred = await system.call('320700-SAMR', 'POST', `/cases/${id}/transfer`, {
      target: 'department',
      toDepartment: '320700-HEALTH',
      reason: '属卫生健康部门管辖',
      transferredBy: '王芳',
    });
    expect(transferred.status).toBe(200);
    expect(transferred.body).toMatchObject({ status: 'transferred', closeOutcome: 'transferred', transferredTo: '320700-HEALTH' });
    expect(await outboxTypes(id)).toEqual(['case-opened', 'case-transferred', 'case-closed']);
    const received = await waitFor('the receiving case', async () => {
      const cases = (await system.call('320700-HEALTH', 'GET', `/cases?uscc=${uscc}`)).body.filter(
        (c: { department: string }) => c.department === '320700-HEALTH',
      );
      return cases.length === 1 ? cases[0] : undefined;
    });
    expect(received).toMatchObject({ source: 'transfer', status: 'opened', violationCodes: ['FOOD-001'] });
    const record = (await system.call('320700-HEALTH', 'GET', `/cases/${received.id}/record`)).body;
    expect(record[0]).toMatchObject({ kind: 'opened', department: '320700-SAMR', detail: { transferredFromCase: id } });
    // A transferred case is final.
    const again = await system.call('320700-SAMR', 'POST', `/cases/${id}/investigation`, { investigator: '李强' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: { from: 'transferred', to: 'investigating' } });
  });

  it('transfers to the judicial authorities only after legal review; the refused attempt is recorded', async () => {
    const id = await openByHand(testUscc(8_200_003));
    await system.call('320700-SAMR', 'POST', `/cases/${id}/investigation`, { investigator: '李强' });
    const body = { target: 'judicial', toDepartment: '连云港市公安局', reason: '涉嫌生产销售有毒有害食品罪', transferredBy: '王芳' };
    const refused = await system.call('320700-SAMR', 'POST', `/cases/${id}/transfer`, body);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('LEGAL_REVIEW_REQUIRED');
    await system.call('320700-SAMR', 'POST', `/cases/${id}/legal-review-request`, {
      requestedBy: '李强',
      action: 'transfer_judicial',
      toDepartment: '连云港市公安局',
      reason: '涉嫌犯罪',
    });
    await system.call('320700-LEGAL', 'POST', `/cases/${id}/legal-review`, { reviewer: '陈静', outcome: 'approved', opinion: '同意移送' });
    expect((await system.call('320700-SAMR', 'POST', `/cases/${id}/transfer`, body)).status).toBe(200);
    expect(await recordKinds(id)).toEqual([
      'opened',
      'investigation_started',
      'transfer_refused',
      'legal_review_requested',
      'legal_review_approved',
      'transferred',
    ]);
    expect(await outboxTypes(id)).toEqual([
      'case-opened',
      'legal-review-requested',
      'legal-review-recorded',
      'case-transferred',
      'case-closed',
    ]);
  });

  it('refuses a major decision without legal review, then decides it after an independent approved review, through to close', async () => {
    const uscc = testUscc(8_200_004);
    const id = await openByHand(uscc);
    const until = '2026-12-31';
    const decision = {
      decisionNumber: '连市监罚〔2026〕501号',
      severity: 'serious',
      penalties: [{ kind: 'fine', amount: 20000 }, { kind: 'licence_suspension' }],
      licenceAction: { action: 'suspend', until, reason: '责令停业整顿' },
    };
    // Not before the investigation.
    const early = await system.call('320700-SAMR', 'POST', `/cases/${id}/decision`, decision);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: { from: 'opened', to: 'decided' } });
    await system.call('320700-SAMR', 'POST', `/cases/${id}/investigation`, { investigator: '李强' });
    await system.call('320700-SAMR', 'POST', `/cases/${id}/evidence`, {
      collectedBy: '李强',
      description: '现场检查笔录',
      reference: 'EV-501',
    });

    // Not without legal review: refused, and the refusal is in the record.
    const unreviewed = await system.call('320700-SAMR', 'POST', `/cases/${id}/decision`, decision);
    expect(unreviewed.status).toBe(422);
    expect(unreviewed.body).toMatchObject({
      code: 'LEGAL_REVIEW_REQUIRED',
      details: { major: expect.arrayContaining(['licence_suspension']) },
    });
    // Not outside the benchmark either (recorded too).
    const outside = await system.call('320700-SAMR', 'POST', `/cases/${id}/decision`, {
      ...decision,
      penalties: [{ kind: 'fine', amount: 60000 }],
      licenceAction: undefined,
    });
    expect(outside.status).toBe(422);
    expect(outside.body.code).toBe('OUTSIDE_BENCHMARK');
    expect(outside.body.detail).toContain('FOOD-HYGIENE-01/serious');

    const { licenceAction, penalties, severity } = decision;
    expect(
      (
        await system.call('320700-SAMR', 'POST', `/cases/${id}/legal-review-request`, {
          requestedBy: '李强',
          action: 'decide',
          severity,
          penalties,
          licenceAction,
          reason: '拟处罚',
        })
      ).status,
    ).toBe(201);
    // Only the legal-review department reviews, and not the investigator.
    expect(
      (await system.call('320700-SAMR', 'POST', `/cases/${id}/legal-review`, { reviewer: '陈静', outcome: 'approved', opinion: 'ok' })).body
        .code,
    ).toBe('ROLE_REQUIRED');
    const partial = await system.call('320700-LEGAL', 'POST', `/cases/${id}/legal-review`, {
      reviewer: '李强',
      outcome: 'approved',
      opinion: 'ok',
    });
    expect(partial.status).toBe(422);
    expect(partial.body.code).toBe('REVIEWER_NOT_INDEPENDENT');
    expect(
      (
        await system.call('320700-LEGAL', 'POST', `/cases/${id}/legal-review`, {
          reviewer: '陈静',
          outcome: 'approved',
          opinion: '事实清楚，证据确凿，程序合法',
        })
      ).status,
    ).toBe(200);

    // The review covers these penalties, not others.
    const other = await system.call('320700-SAMR', 'POST', `/cases/${id}/decision`, {
      ...decision,
      penalties: [{ kind: 'fine', amount: 25000 }, { kind: 'licence_suspension' }],
    });
    expect(other.body.code).toBe('LEGAL_REVIEW_DOES_NOT_COVER');
    // A new proposal supersedes the answered review; none while one is pending.
    const again = { requestedBy: '李强', action: 'decide', severity, penalties, licenceAction, reason: '重新报审' };
    expect((await system.call('320700-SAMR', 'POST', `/cases/${id}/legal-review-request`, again)).status).toBe(201);
    expect((await system.call('320700-SAMR', 'POST', `/cases/${id}/legal-review-request`, again)).body.code).toBe('REVIEW_PENDING');
    expect((await system.call('320700-SAMR', 'POST', `/cases/${id}/decision`, decision)).body.code).toBe('LEGAL_REVIEW_REQUIRED');
    expect(
      (await system.call('320700-LEGAL', 'POST', `/cases/${id}/legal-review`, { reviewer: '陈静', outcome: 'approved', opinion: '同意' }))
        .status,
    ).toBe(200);
    const decided = await system.call('320700-SAMR', 'POST', `/cases/${id}/decision`, decision);
    expect(decided.status).toBe(201);
    expect(decided.body).toMatchObject({
      status: 'decided',
      decision: { major: true, severity: 'serious', legalReviewId: expect.any(String) },
    });
    expect(decided.body.decision.recordHead.hash).toMatch(/^[0-9a-f]{64}$/);

    // A decided case is served and executed before it closes.
    expect((await system.call('320700-SAMR', 'POST', `/cases/${id}/close`, { closedBy: '王芳', reason: 'x' })).body).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      details: { from: 'decided', to: 'closed' },
    });
    expect(
      (await system.call('320700-SAMR', 'POST', `/cases/${id}/service`, { servedBy: '李强', method: 'direct', receipt: 'SD-501' })).status,
    ).toBe(200);
    expect((await system.call('320700-SAMR', 'POST', `/cases/${id}/execution`, { confirmedBy: '李强', note: '罚款已缴清' })).status).toBe(
      200,
    );
    const closed = await system.call('320700-SAMR', 'POST', `/cases/${id}/close`, { closedBy: '王芳', reason: '执行完毕' });
    expect(closed.body).toMatchObject({ status: 'closed', closeOutcome: 'executed' });

    expect(await recordKinds(id)).toEqual([
      'opened',
      'investigation_started',
      'evidence_added',
      'decision_refused',
      'decision_refused',
      'legal_review_requested',
      'legal_review_refused',
      'legal_review_approved',
      'decision_refused',
      'legal_review_superseded',
      'legal_review_requested',
      'decision_refused',
      'legal_review_approved',
      'decided',
      'decision_served',
      'decision_executed',
      'closed',
    ]);
    expect(await outboxTypes(id)).toEqual([
      'case-opened',
      'legal-review-requested',
      'legal-review-recorded',
      'legal-review-requested',
      'legal-review-recorded',
      'penalty-decided',
      'case-closed',
    ]);
    expect((await system.call('320700-SAMR', 'GET', `/cases/${id}/record/verification`)).body).toMatchObject({ valid: true, length: 17 });
    const full = (await system.call('320700-SAMR', 'GET', `/cases/${id}`)).body;
    expect(full.evidence).toEqual([expect.objectContaining({ collectedBy: '李强', reference: 'EV-501' })]);
    expect(full.legalReviews).toEqual([
      expect.objectContaining({ reviewer: '陈静', reviewerDepartment: '320700-LEGAL', outcome: 'approved' }),
      expect.objectContaining({ reviewer: '陈静', outcome: 'approved', id: full.decision.legalReviewId }),
    ]);

    // Published, without names or free text, with the head anchored at decision time.
    const published = (await system.call(null, 'GET', `/publicity/decisions?uscc=${uscc}`)).body;
    expect(published).toEqual([
      expect.objectContaining({
        decisionNumber: '连市监罚〔2026〕501号',
        licenceAction: { action: 'suspend', until },
        recordHead: decided.body.decision.recordHead,
      }),
    ]);
    expect(JSON.stringify(published)).not.toMatch(/李强|陈静|责令停业整顿/);
    // Only during its publication period.
    expect(new Date(published[0].publishUntil).getTime()).toBeGreaterThan(Date.now() + 1000 * 86_400_000);
    const db = await system.sql();
    await db.query(`UPDATE penalty_decision SET publish_until = now() - interval '1 second' WHERE case_id = $1`, [id]);
    expect((await system.call(null, 'GET', `/publicity/decisions?uscc=${uscc}`)).body).toEqual([]);
  });

  it('a credit repair granted at credit withdraws a minor decision from the public list and marks a serious one, on the record', async () => {
    const uscc = testUscc(8_200_009);
    const minorId = await openByHand(uscc);
    await system.call('320700-SAMR', 'POST', `/cases/${minorId}/investigation`, { investigator: '李强' });
    const minor = await system.call('320700-SAMR', 'POST', `/cases/${minorId}/decision`, {
      decisionNumber: '连市监罚〔2026〕901号',
      severity: 'minor',
      penalties: [{ kind: 'warning' }, { kind: 'order_to_correct' }],
    });
    expect(minor.status).toBe(201);
    const seriousId = await decidedCase(system, uscc, '连市监罚〔2026〕902号');
    const publishedNumbers = async () =>
      (await system.call(null, 'GET', `/publicity/decisions?uscc=${uscc}`)).body
        .map((d: { decisionNumber: string }) => d.decisionNumber)
        .sort();
    expect(await publishedNumbers()).toEqual(['连市监罚〔2026〕901号', '连市监罚〔2026〕902号']);

    const repairId = randomUUID();
    const repairedAt = new Date().toISOString();
    const event: CreditRepairApprovedV1 = {
      repairId,
      uscc,
      entryId: '41',
      repaired: [
        { entryId: '41', kind: 'penalty', caseId: minorId, decisionNumber: '连市监罚〔2026〕901号' },
        { entryId: '42', kind: 'penalty', caseId: seriousId, decisionNumber: '连市监罚〔2026〕902号' },
        { entryId: '43', kind: 'list_entry' },
        { entryId: '44', kind: 'penalty', caseId: randomUUID(), decisionNumber: '外省罚〔2026〕1号' },
      ],
      decidedBy: 'CREDIT-AUTHORITY',
      repairedAt,
    };
    await system.publish(CreditRepairApprovedV1, event, uscc);
    await system.publish(CreditRepairApprovedV1, event, uscc); // the same repair again, under another event id
    await waitFor('the minor decision withdrawn', async () => ((await publishedNumbers()).length === 1 ? true : undefined));
    const db = await system.sql();
    await waitFor(
      'both events consumed',
      async () =>
        Number((await db.query(`SELECT count(*) AS n FROM inbox WHERE event_type = $1`, [CreditRepairApprovedV1.type])).rows[0].n) >= 2 ||
        undefined,
    );

    const published = (await system.call(null, 'GET', `/publicity/decisions?uscc=${uscc}`)).body;
    expect(published).toEqual([expect.objectContaining({ decisionNumber: '连市监罚〔2026〕902号', creditRepairedAt: repairedAt })]);
    expect(JSON.stringify(published)).not.toContain(repairId);
    const minorView = (await system.call('320700-SAMR', 'GET', `/cases/${minorId}`)).body;
    expect(minorView.decision.creditRepair).toEqual({ repairId, repairedAt, withdrawnAt: repairedAt });
    const seriousView = (await system.call('320700-SAMR', 'GET', `/cases/${seriousId}`)).body;
    expect(seriousView.decision.creditRepair).toEqual({ repairId, repairedAt, withdrawnAt: null });
    expect((await recordKinds(minorId)).slice(-1)).toEqual(['publicity_withdrawn']);
    expect((await recordKinds(seriousId)).filter((kind: string) => kind.startsWith('publicity_'))).toEqual(['publicity_annotated']);
    expect((await system.call('320700-SAMR', 'GET', `/cases/${seriousId}/record/verification`)).body).toMatchObject({ valid: true });
  });

  it('applies the light-penalty list to a minor first violation, and the benchmark the second time', async () => {
    const uscc = testUscc(8_200_005);
    const decide = async (penalties: unknown[]) => {
      const id = await openByHand(uscc);
      await system.call('320700-SAMR', 'POST', `/cases/${id}/investigation`, { investigator: '李强' });
      return system.call('320700-SAMR', 'POST', `/cases/${id}/decision`, {
        decisionNumber: `W-${randomUUID().slice(0, 8)}`,
        severity: 'minor',
        penalties,
      });
    };
    expect((await decide([{ kind: 'fine', amount: 500 }])).body.code).toBe('FIRST_MINOR_VIOLATION_LIST');
    expect((await decide([{ kind: 'warning' }, { kind: 'order_to_correct' }])).status).toBe(201);
    expect((await decide([{ kind: 'fine', amount: 500 }])).status).toBe(201);
  });

  it('registers a complaint, transfers it to the competent department, which opens its case and answers it', async () => {
    const uscc = testUscc(8_200_006);
    const registered = await system.call('320700-SAMR', 'POST', '/complaints', {
      uscc,
      complainant: '张女士',
      contact: '138****0000',
      content: '餐馆后厨脏乱',
    });
    expect(registered.status).toBe(201);
    const complaintId = registered.body.id;
    expect((await system.call('320700-HEALTH', 'GET', `/complaints/${complaintId}`)).status).toBe(403);
    const transferred = await system.call('320700-SAMR', 'POST', `/complaints/${complaintId}/transfer`, {
      toDepartment: '320700-HEALTH',
      reason: '属卫生健康部门管辖',
      transferredBy: '王芳',
    });
    expect(transferred.body).toMatchObject({
      department: '320700-HEALTH',
      transfers: [expect.objectContaining({ fromDepartment: '320700-SAMR', toDepartment: '320700-HEALTH' })],
    });
    expect((await system.call('320700-SAMR', 'GET', `/complaints/${complaintId}`)).status).toBe(403);
    const waiting = (await system.call('320700-HEALTH', 'GET', '/complaints?status=registered')).body;
    expect(waiting).toEqual([expect.objectContaining({ id: complaintId, daysWaiting: 0 })]);
    const opened = await system.call('320700-HEALTH', 'POST', `/complaints/${complaintId}/case`, {
      openedBy: '周敏',
      violationCodes: ['FOOD-HYGIENE-01'],
    });
    expect(opened.status).toBe(201);
    expect(opened.body.case).toMatchObject({ source: 'complaint', status: 'opened', department: '320700-HEALTH' });
    expect(
      (await system.call('320700-HEALTH', 'POST', `/complaints/${complaintId}/case`, { openedBy: '周敏', violationCodes: ['X'] })).body
        .code,
    ).toBe('COMPLAINT_NOT_REGISTERED');
    const answered = await system.call('320700-HEALTH', 'POST', `/complaints/${complaintId}/answer`, { answer: '已立案调查' });
    expect(answered.body).toMatchObject({ status: 'answered', caseId: opened.body.case.id });
    expect((await system.call('320700-HEALTH', 'POST', `/complaints/${complaintId}/answer`, { answer: '再答' })).body.code).toBe(
      'COMPLAINT_ALREADY_ANSWERED',
    );
    expect(JSON.stringify((await system.call('320700-HEALTH', 'GET', `/cases/${opened.body.case.id}/record`)).body)).not.toContain(
      '张女士',
    );
  });

  it('refuses bad input naming the field and the rule, and writes nothing', async () => {
    const db = await system.sql();
    const count = async () => Number((await db.query(`SELECT count(*) AS n FROM case_log_entry`)).rows[0].n);
    const before = await count();
    const id = await openByHand(testUscc(8_200_007));
    const bad = await system.call('320700-SAMR', 'POST', `/cases/${id}/evidence`, {
      collectedBy: '',
      description: 'x',
      reference: 'y',
      extra: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'collectedBy', rule: 'isLength' }),
        expect.objectContaining({ field: 'extra', rule: 'whitelistValidation' }),
      ]),
    );
    expect(await count()).toBe(before + 1);
    const benchmarks = await system.call(null, 'GET', '/benchmarks?violationCode=FOOD-HYGIENE-01');
    expect(benchmarks.body.map((b: { severity: string }) => b.severity).sort()).toEqual(['general', 'minor', 'serious']);
    const amended = await system.call('320700-LEGAL', 'PUT', '/benchmarks/FOOD-NEW-01/general', {
      basis: '某条',
      measures: ['warning', 'fine'],
      minFine: 100,
      maxFine: 1000,
      firstMinor: 'none',
    });
    expect(amended.status).toBe(200);
    expect(
      (
        await system.call('320700-SAMR', 'PUT', '/benchmarks/FOOD-NEW-01/general', {
          basis: '某条',
          measures: ['warning'],
          firstMinor: 'none',
        })
      ).status,
    ).toBe(403);
    // every field well-formed, but a fine without its range: the fields disagree (422, naming the field and rule)
    expect(
      await system.call('320700-LEGAL', 'PUT', '/benchmarks/FOOD-NEW-01/general', {
        basis: '某条',
        measures: ['fine'],
        firstMinor: 'none',
      }),
    ).toMatchObject({
      status: 422,
      body: { code: 'FIELDS_DISAGREE', errors: [expect.objectContaining({ field: 'measures', rule: 'fineRangeMatchesMeasures' })] },
    });
  });
});
