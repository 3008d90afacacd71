import { TestSystem, testUscc, waitFor, KEEP_PUBLISHED } from '@backbone/testing';

/**
 * The double push / double loop, thin but real, through REST only, with the four services as separate
 * processes on real Kafka and PostgreSQL:
 * approval decided → task assigned to the industry authority → claimed → the approver sees the claim →
 * inspection with a violation → enforcement case → investigation, legal review → penalty with licence
 * suspension → the approver sees
 * the penalty and the suspended licence, and the credit record holds the penalty.
 */
describe('the double loop end to end', () => {
  let system: TestSystem;

  beforeAll(async () => {
    // The loop is followed through what each service published: their outboxes keep it.
    system = await TestSystem.start(undefined, { approval: KEEP_PUBLISHED, supervision: KEEP_PUBLISHED, enforcement: KEEP_PUBLISHED });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('carries an approval through supervision, enforcement and credit and back, on one correlation id', async () => {
    const uscc = testUscc(7_000_001);

    // 1. The approving department posts its decision.
    const decided = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', {
      applicationNumber: 'LOOP-0001',
      uscc,
      entityName: '连云港海鲜餐饮有限公司',
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind: 'licence',
      outcome: 'granted',
      licenceNumber: 'JY13207030099',
    });
    expect(decided.status).toBe(201);
    const approvalId: string = decided.body.id;
    const correlationId: string = decided.body.correlationId;

    // 2. Supervision routes it (separated item) to the market regulator, with a working-day deadline.
    const task = await waitFor('the supervision task', async () => {
      const found = await system.call('supervision', '320700-SAMR', 'GET', `/tasks?approvalId=${approvalId}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
    expect(task).toMatchObject({ assignedDepartment: '320700-SAMR', status: 'assigned', correlationId, routing: { rule: 'separated' } });

    // Only the assigned department may claim it.
    const wrongClaim = await system.call('supervision', '320700-HEALTH', 'POST', `/tasks/${task.id}/claim`, { handler: '赵六' });
    expect(wrongClaim.status).toBe(403);
    expect(wrongClaim.body.code).toBe('NOT_ASSIGNED_DEPARTMENT');

    // 3. The regulator claims it; the claim flows back to the approver (double feedback).
    const claimed = await system.call('supervision', '320700-SAMR', 'POST', `/tasks/${task.id}/claim`, { handler: '王芳' });
    expect(claimed.status).toBe(200);
    await waitFor('the approver to see the claim', async () => {
      const approval = await system.call('approval', '320700-APPROVAL', 'GET', `/approvals/${approvalId}`);
      return approval.body.supervision.status === 'claimed' ? approval.body : undefined;
    });

    // 4. An inspection finds a violation.
    const inspection = await system.call('supervision', '320700-SAMR', 'POST', '/inspections', {
      taskId: task.id,
      uscc,
      inspector: '李强',
      result: 'non_compliant',
      violations: [{ code: 'FOOD-HYGIENE-01', description: '后厨卫生不符合食品安全标准' }],
    });
    expect(inspection.status).toBe(201);

    // 5. Enforcement opens a case from it.
    const enforcementCase = await waitFor('the enforcement case', async () => {
      const found = await system.call('enforcement', '320700-SAMR', 'GET', `/cases?uscc=${uscc}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
    expect(enforcementCase.status).toBe('opened');

    // 6. The lawful way to a major penalty (fine and licence suspension): investigation with evidence,
    //    legal review by the legal-review department (not by the investigator), then the decision.
    const until = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const penalties = [{ kind: 'fine', amount: 20000 }, { kind: 'licence_suspension' }];
    const licenceAction = { action: 'suspend', until, reason: '食品安全违法，责令停业整顿' };
    const caseUrl = `/cases/${enforcementCase.id}`;
    expect((await system.call('enforcement', '320700-SAMR', 'POST', `${caseUrl}/investigation`, { investigator: '李强' })).status).toBe(
      200,
    );
    expect(
      (
        await system.call('enforcement', '320700-SAMR', 'POST', `${caseUrl}/evidence`, {
          collectedBy: '李强',
          description: '后厨现场检查笔录及照片',
          reference: 'EV-LOOP-0001',
        })
      ).status,
    ).toBe(201);
    const decisionBody = { decisionNumber: '连市监罚〔2026〕88号', severity: 'serious', penalties, licenceAction };
    const unreviewed = await system.call('enforcement', '320700-SAMR', 'POST', `${caseUrl}/decision`, decisionBody);
    expect(unreviewed.status).toBe(422);
    expect(unreviewed.body.code).toBe('LEGAL_REVIEW_REQUIRED');
    const review = { requestedBy: '李强', action: 'decide', severity: 'serious', penalties, licenceAction, reason: '拟罚款并暂扣许可证' };
    expect((await system.call('enforcement', '320700-SAMR', 'POST', `${caseUrl}/legal-review-request`, review)).status).toBe(201);
    const reviewed = await system.call('enforcement', '320700-LEGAL', 'POST', `${caseUrl}/legal-review`, {
      reviewer: '陈静',
      outcome: 'approved',
      opinion: '事实清楚，证据确凿，程序合法',
    });
    expect(reviewed.status).toBe(200);
    const decision = await system.call('enforcement', '320700-SAMR', 'POST', `${caseUrl}/decision`, decisionBody);
    expect(decision.status).toBe(201);
    expect(decision.body.decision).toMatchObject({ major: true, recordHead: { hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    const verified = await system.call('enforcement', '320700-SAMR', 'GET', `${caseUrl}/record/verification`);
    expect(verified.body).toMatchObject({ valid: true, problems: [] });

    // 7. The approver shows the penalty and the suspended licence...
    const finalApproval = await waitFor('the approver to see the penalty', async () => {
      const approval = await system.call('approval', '320700-APPROVAL', 'GET', `/approvals/${approvalId}`);
      return approval.body.licence.status === 'suspended' ? approval.body : undefined;
    });
    expect(new Date(finalApproval.licence.suspendedUntil).toISOString()).toBe(until);
    expect(finalApproval.feedback.map((row: { kind: string }) => row.kind)).toEqual([
      'task_assigned',
      'task_claimed',
      'inspection_recorded',
      'penalty_decided',
    ]);
    expect(finalApproval.feedback[3].detail).toMatchObject({ decisionNumber: '连市监罚〔2026〕88号' });

    // ...and the credit record of the entity holds it.
    const record = await waitFor('the credit record to hold the penalty', async () => {
      const found = await system.call('credit', '320700-SAMR', 'GET', `/credit-records/${uscc}`);
      return found.status === 200 && found.body.penalties?.length === 1 ? found.body : undefined;
    });
    expect(record.uscc).toBe(uscc);

    // Followed by correlation id: every event of the loop, in every service, carries the approval's.
    const events: string[] = [];
    for (const service of ['approval', 'supervision', 'enforcement'] as const) {
      const db = await system.sql(service);
      // Messages, not rows: supervision's task events of one transaction are one row (ADR 0031).
      const rows = await db.query(`SELECT event_type FROM outbox_message WHERE correlation_id = $1 ORDER BY id, position`, [correlationId]);
      events.push(...rows.rows.map((row: { event_type: string }) => row.event_type));
    }
    expect(events).toEqual([
      'backbone.approval.decided.v2',
      'backbone.approval.licence-status-changed.v1',
      'backbone.supervision.task-assigned.v1',
      'backbone.supervision.task-claimed.v1',
      'backbone.inspection.recorded.v2',
      'backbone.enforcement.case-opened.v1',
      'backbone.enforcement.legal-review-requested.v1',
      'backbone.enforcement.legal-review-recorded.v1',
      'backbone.enforcement.penalty-decided.v1',
    ]);
    for (const service of ['approval', 'enforcement', 'credit'] as const) {
      const db = await system.sql(service);
      // Approval's inbox record of a consumed event is its trail row (ADR 0031).
      const rows = await db.query(`SELECT DISTINCT correlation_id FROM ${service === 'approval' ? 'loop_event' : 'inbox'}`);
      expect(rows.rows).toEqual([{ correlation_id: correlationId }]);
    }
  });

  it('refuses bad input naming the field and the rule, and writes nothing', async () => {
    const approvalDb = await system.sql('approval');
    const before = Number((await approvalDb.query('SELECT count(*) AS n FROM approval')).rows[0].n);
    const refused = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', {
      applicationNumber: 'BAD-1',
      uscc: '91320700MA1MXXK01X',
      entityName: '某公司',
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '3207',
      kind: 'licence',
      outcome: 'granted',
      licenceNumber: 'JY1',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('VALIDATION_FAILED');
    expect(refused.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'uscc', rule: 'isUscc' }),
        expect.objectContaining({ field: 'regionCode', rule: 'matches' }),
      ]),
    );
    const unauthenticated = await fetch(`${system.service('approval').url}/approvals`, { method: 'POST' });
    expect(unauthenticated.status).toBe(401);
    expect(Number((await approvalDb.query('SELECT count(*) AS n FROM approval')).rows[0].n)).toBe(before);
  });
});
