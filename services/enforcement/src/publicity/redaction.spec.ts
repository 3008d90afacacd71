import { EnforcementCase } from '../cases/enforcement-case.entity';
import { PenaltyDecision } from '../cases/penalty-decision.entity';
import { publicDecisionView, publicUscc } from './redaction';

const enforcementCase = Object.assign(new EnforcementCase(), {
  id: 'case-1',
  correlationId: 'corr-1',
  uscc: '91320700MA1MXXK01L',
  approvalId: 'approval-1',
  inspectionId: 'inspection-1',
  department: '320700-SAMR',
  status: 'decided' as const,
  violationCodes: ['FOOD-HYGIENE-01'],
  openedAt: new Date('2026-03-02T08:00:00Z'),
  decidedAt: new Date('2026-03-05T10:00:00Z'),
  investigator: '李强',
});

const decision = Object.assign(new PenaltyDecision(), {
  id: 'decision-1',
  caseId: 'case-1',
  decisionNumber: '连市监罚〔2026〕88号',
  penalties: [{ kind: 'fine' as const, amount: 20000 }, { kind: 'licence_suspension' as const }],
  licenceAction: { action: 'suspend' as const, until: '2026-06-30', reason: '负责人张三供述，配方为商业秘密' },
  decidedBy: '320700-SAMR',
  decidedAt: new Date('2026-03-05T10:00:00Z'),
  severity: 'serious' as const,
  major: true,
  legalReviewId: 'review-1',
  logHeadSeq: 6,
  logHeadHash: 'ab'.repeat(32),
  publishUntil: new Date('2029-03-05T10:00:00Z'),
});

describe('publicDecisionView', () => {
  const view = publicDecisionView(enforcementCase, decision);

  it('publishes the result: number, entity, department, violations, penalties, licence action and date, record head', () => {
    expect(view).toEqual({
      decisionNumber: '连市监罚〔2026〕88号',
      caseId: 'case-1',
      uscc: '91320700MA1MXXK01L',
      department: '320700-SAMR',
      violationCodes: ['FOOD-HYGIENE-01'],
      penalties: [{ kind: 'fine', amount: 20000 }, { kind: 'licence_suspension' }],
      licenceAction: { action: 'suspend', until: '2026-06-30' },
      decidedAt: new Date('2026-03-05T10:00:00Z'),
      publishUntil: new Date('2029-03-05T10:00:00Z'),
      creditRepairedAt: null,
      recordHead: { seq: 6, hash: 'ab'.repeat(32) },
    });
  });

  it('marks a decision whose penalty was repaired at credit with the time of the repair, and nothing of the repair else', () => {
    const repairedAt = new Date('2026-11-30T02:00:00Z');
    const repaired = publicDecisionView(enforcementCase, { ...decision, repairId: 'repair-1', repairedAt });
    expect(repaired.creditRepairedAt).toEqual(repairedAt);
    expect(JSON.stringify(repaired)).not.toContain('repair-1');
  });

  it('never carries names of persons or free text', () => {
    const text = JSON.stringify(view);
    for (const secret of ['李强', '张三', '商业秘密', 'review-1', 'approval-1', 'inspection-1']) expect(text).not.toContain(secret);
  });

  it("masks an individual business's code (a natural person's business), not a company's", () => {
    expect(publicUscc('92320700MA1MXXK01L')).toBe('92320700*********L');
    expect(publicUscc('91320700MA1MXXK01L')).toBe('91320700MA1MXXK01L');
    expect(publicDecisionView({ ...enforcementCase, uscc: '92320700MA1MXXK01L' }, decision).uscc).toBe('92320700*********L');
  });
});
