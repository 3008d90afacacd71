import { TestSystem, testUscc, waitFor } from '@backbone/testing';
import { DEFAULT_CREDIT_RULES } from '../../services/credit/src/credit-rules/credit-rules.config';

/**
 * A penalty decided the lawful way reaches the approver and the credit record, the entity lands on the
 * serious-dishonesty list and joint punishment stops its commitment-based applications; an approved
 * credit repair lifts the restriction again, across services, and marks the published decision as repaired.
 *
 * Credit rules are configuration: this system puts a fine of 50,000 yuan or more on the list and lets
 * a repair be decided at once (the defaults: 1,000,000 yuan and 12 months on the list first).
 */
const RULES = {
  ...DEFAULT_CREDIT_RULES,
  listEntry: DEFAULT_CREDIT_RULES.listEntry.map((rule) => (rule.id === 'heavy-fine' ? { ...rule, amount: 50_000 } : rule)),
  lists: DEFAULT_CREDIT_RULES.lists.map((list) => ({ ...list, minimumMonthsBeforeRepair: 0 })),
  repair: { ...DEFAULT_CREDIT_RULES.repair, factMinimumMonths: 0 },
};

describe('penalty → approver and credit → joint punishment → credit repair', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start(undefined, { credit: { CREDIT_RULES_JSON: JSON.stringify(RULES) } });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('applies and lifts the consequences of a penalty across services', async () => {
    const uscc = testUscc(8_100_001);
    const application = (n: number, kind: 'licence' | 'commitment') => ({
      applicationNumber: `PCR-${n}`,
      uscc,
      entityName: '连云港某某冷链食品有限公司',
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind,
      outcome: 'granted',
      licenceNumber: `JY132070300${n}`,
    });

    // A licence, routed and claimed.
    const decided = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', application(1, 'licence'));
    expect(decided.status).toBe(201);
    const approvalId: string = decided.body.id;
    const task = await waitFor('the task', async () => {
      const found = await system.call('supervision', '320700-SAMR', 'GET', `/tasks?approvalId=${approvalId}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
    expect((await system.call('supervision', '320700-SAMR', 'POST', `/tasks/${task.id}/claim`, { handler: '王芳' })).status).toBe(200);

    // Credit before: tier A, on no list.
    const before = await system.call('credit', '320700-SAMR', 'GET', `/credit-records/${uscc}/full`);
    expect(before.body).toMatchObject({ tier: 'A', lists: [] });

    // A violation → a case.
    expect(
      (
        await system.call('supervision', '320700-SAMR', 'POST', '/inspections', {
          taskId: task.id,
          uscc,
          inspector: '李强',
          result: 'non_compliant',
          violations: [{ code: 'FOOD-HYGIENE-01', description: '冷库温度记录造假，食品变质' }],
        })
      ).status,
    ).toBe(201);
    const enforcementCase = await waitFor('the case', async () => {
      const found = await system.call('enforcement', '320700-SAMR', 'GET', `/cases?uscc=${uscc}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
    const caseUrl = `/cases/${enforcementCase.id}`;
    expect((await system.call('enforcement', '320700-SAMR', 'POST', `${caseUrl}/investigation`, { investigator: '李强' })).status).toBe(
      200,
    );
    expect(
      (
        await system.call('enforcement', '320700-SAMR', 'POST', `${caseUrl}/evidence`, {
          collectedBy: '李强',
          description: '冷库温度记录及检验报告',
          reference: 'EV-PCR-1',
        })
      ).status,
    ).toBe(201);

    // A major decision is refused without legal review, and the refusal is on the record.
    const until = new Date(Date.now() + 60 * 86_400_000).toISOString();
    const penalties = [{ kind: 'fine', amount: 50_000 }, { kind: 'licence_suspension' }];
    const licenceAction = { action: 'suspend', until, reason: '责令停业整顿' };
    const decision = { decisionNumber: '连市监罚〔2026〕101号', severity: 'serious', penalties, licenceAction };
    const refused = await system.call('enforcement', '320700-SAMR', 'POST', `${caseUrl}/decision`, decision);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('LEGAL_REVIEW_REQUIRED');
    const record = await system.call('enforcement', '320700-SAMR', 'GET', `${caseUrl}/record`);
    expect(JSON.stringify(record.body)).toContain('LEGAL_REVIEW_REQUIRED');

    // The investigator cannot review his own case; the legal office's reviewer can.
    const review = {
      requestedBy: '李强',
      action: 'decide',
      severity: 'serious',
      penalties,
      licenceAction,
      reason: '拟罚款五万元并暂扣许可证',
    };
    expect((await system.call('enforcement', '320700-SAMR', 'POST', `${caseUrl}/legal-review-request`, review)).status).toBe(201);
    const selfReview = await system.call('enforcement', '320700-LEGAL', 'POST', `${caseUrl}/legal-review`, {
      reviewer: '李强',
      outcome: 'approved',
      opinion: '同意',
    });
    expect(selfReview.body.code).toBe('REVIEWER_NOT_INDEPENDENT');
    expect(
      (
        await system.call('enforcement', '320700-LEGAL', 'POST', `${caseUrl}/legal-review`, {
          reviewer: '陈静',
          outcome: 'approved',
          opinion: '事实清楚，证据确凿',
        })
      ).status,
    ).toBe(200);
    expect((await system.call('enforcement', '320700-SAMR', 'POST', `${caseUrl}/decision`, decision)).status).toBe(201);

    // The approver shows the licence suspended...
    await waitFor('the suspended licence', async () => {
      const approval = await system.call('approval', '320700-APPROVAL', 'GET', `/approvals/${approvalId}`);
      return approval.body.licence.status === 'suspended' || undefined;
    });
    // ...and the credit record the penalty, the lower tier and the serious-dishonesty list with its measures.
    const after = await waitFor('the penalty in the credit record', async () => {
      const found = await system.call('credit', '320700-SAMR', 'GET', `/credit-records/${uscc}/full`);
      return found.body.penalties?.length === 1 && found.body.lists?.length > 0 ? found.body : undefined;
    });
    expect(after.tier).toBe('D');
    expect(after.lists).toContain('serious_dishonesty');
    expect(after.measures).toContain('no_commitment_approval');

    // Joint punishment: a commitment-based application by the blacklisted entity is refused, with the reason.
    // The standing reaches the approver as credit's event, a hop after the record above: an application
    // posted before it is granted and kept, and posted again it is a repeat answered as it was, so each
    // attempt is a new application.
    let attempts = 10;
    const blocked = await waitFor('the approver to apply the measure', async () => {
      const attempt = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', application(attempts++, 'commitment'));
      return attempt.status === 422 ? attempt : undefined;
    });
    expect(blocked.body.code).toBe('JOINT_PUNISHMENT_NO_COMMITMENT');
    expect(blocked.body.detail).toContain('serious_dishonesty');

    // Credit repair: applied for with evidence and a commitment, approved by the credit authority.
    const penaltyEntry = after.penalties[0];
    const repair = await system.call('credit', '320700-SAMR', 'POST', `/credit-records/${uscc}/repairs`, {
      entryId: String(penaltyEntry.id),
      reason: '已完成整改并缴清罚款',
      rectificationEvidence: '整改报告及复查合格意见书',
      commitment: '承诺今后严格遵守食品安全法律法规',
    });
    expect(repair.status).toBe(201);
    const notAuthority = await system.call('credit', '320700-SAMR', 'POST', `/credit-repairs/${repair.body.id}/decision`, {
      decision: 'approve',
      note: '同意',
    });
    expect(notAuthority.status).toBe(403);
    expect(
      (
        await system.call('credit', 'CREDIT-AUTHORITY', 'POST', `/credit-repairs/${repair.body.id}/decision`, {
          decision: 'approve',
          note: '整改到位，同意修复',
        })
      ).status,
    ).toBe(200);
    const repaired = await system.call('credit', '320700-SAMR', 'GET', `/credit-records/${uscc}/full`);
    expect(repaired.body.lists).toEqual([]);
    expect(repaired.body.measures).not.toContain('no_commitment_approval');

    // The published decision (行政处罚信息公示) is updated at enforcement: a serious one stays, marked repaired, on the record.
    const marked = await waitFor('the published decision marked repaired', async () => {
      const list = await system.call('enforcement', '320700-SAMR', 'GET', `/publicity/decisions?uscc=${uscc}`);
      return list.body[0]?.creditRepairedAt ? list.body : undefined;
    });
    expect(marked).toEqual([expect.objectContaining({ decisionNumber: '连市监罚〔2026〕101号' })]);
    const caseRecord = await system.call('enforcement', '320700-SAMR', 'GET', `${caseUrl}/record`);
    expect(caseRecord.body.map((entry: { kind: string }) => entry.kind)).toContain('publicity_annotated');

    // The restriction is lifted at the approver: the same kind of application now goes through.
    const allowed = await waitFor('the approver to lift the measure', async () => {
      const attempt = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', application(3, 'commitment'));
      return attempt.status === 201 ? attempt : undefined;
    });
    expect(allowed.body.kind).toBe('commitment');
    // Every check on the way was recorded (逢办必查), the refusal among them.
    const checks = await system.call('approval', '320700-APPROVAL', 'GET', `/credit-checks?uscc=${uscc}`);
    const results = (checks.body as { result: string }[]).map((check) => check.result);
    expect(results.length).toBeGreaterThanOrEqual(3);
    expect(results.some((result) => /refus/i.test(result))).toBe(true);
  });
});
