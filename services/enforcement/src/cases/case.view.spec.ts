import { caseView } from './case.view';
import { EnforcementCase } from './enforcement-case.entity';
import { PenaltyDecision } from './penalty-decision.entity';

const enforcementCase = Object.assign(new EnforcementCase(), {
  id: 'case-1',
  correlationId: 'corr-1',
  uscc: '91320700MA00000001',
  approvalId: 'approval-1',
  inspectionId: 'inspection-1',
  department: '320700-SAMR',
  status: 'decided',
  violationCodes: ['FOOD-001', 'FOOD-007'],
  openedAt: new Date('2026-03-02T08:00:00Z'),
  decidedAt: new Date('2026-03-05T10:00:00Z'),
} satisfies EnforcementCase);

describe('caseView', () => {
  it('shows an undecided case with a null decision', () => {
    const view = caseView({ ...enforcementCase, status: 'opened', decidedAt: null });
    expect(view).toMatchObject({
      id: 'case-1',
      status: 'opened',
      decidedAt: null,
      decision: null,
      violationCodes: ['FOOD-001', 'FOOD-007'],
    });
  });

  it('shows the decision, without repeating its case id', () => {
    const decision = Object.assign(new PenaltyDecision(), {
      id: 'decision-1',
      caseId: 'case-1',
      decisionNumber: '连市监罚〔2026〕12号',
      penalties: [{ kind: 'fine', amount: 5000 }],
      licenceAction: null,
      decidedBy: '320700-SAMR',
      decidedAt: new Date('2026-03-05T10:00:00Z'),
      severity: 'general',
      major: false,
      legalReviewId: null,
      logHeadSeq: 4,
      logHeadHash: 'ab'.repeat(32),
      publishUntil: new Date('2027-03-05T10:00:00Z'),
    } satisfies PenaltyDecision);
    expect(caseView(enforcementCase, decision).decision).toEqual({
      id: 'decision-1',
      decisionNumber: '连市监罚〔2026〕12号',
      penalties: [{ kind: 'fine', amount: 5000 }],
      licenceAction: null,
      decidedBy: '320700-SAMR',
      decidedAt: new Date('2026-03-05T10:00:00Z'),
      severity: 'general',
      major: false,
      legalReviewId: null,
      recordHead: { seq: 4, hash: 'ab'.repeat(32) },
      publishUntil: new Date('2027-03-05T10:00:00Z'),
      creditRepair: null,
    });
    const repairedAt = new Date('2026-11-30T02:00:00Z');
    expect(
      caseView(enforcementCase, { ...decision, repairId: 'repair-1', repairedAt, publicityWithdrawnAt: repairedAt }).decision?.creditRepair,
    ).toEqual({ repairId: 'repair-1', repairedAt, withdrawnAt: repairedAt });
  });

  it('shows the head of the case record', () => {
    expect(caseView({ ...enforcementCase, logHeadSeq: 3, logHeadHash: 'cd'.repeat(32) }).record).toEqual({
      length: 3,
      headHash: 'cd'.repeat(32),
    });
  });
});
