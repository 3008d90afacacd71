import { plainToInstance } from 'class-transformer';
import { CommitmentVerifiedV1, InspectionRecordedV1, PenaltyDecidedV1 } from '@backbone/contracts';
import { commitmentFact, inspectionFact, penaltyFact } from './record-credit-facts.message.controller';

const penalty = {
  caseId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a01',
  decisionId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a04',
  uscc: '91320700MA00000001',
  department: '320700-SAMR',
  decisionNumber: '连市监罚〔2026〕12号',
  penalties: [{ kind: 'licence_suspension' }, { kind: 'fine', amount: 5000 }],
  licenceAction: { action: 'suspend', until: '2026-06-30', reason: '超范围经营' },
  decidedAt: '2026-03-05T10:00:00Z',
};

describe('credit facts', () => {
  it('records what a penalty decided as plain JSON, without amounts that were not given', () => {
    const fact = penaltyFact(plainToInstance(PenaltyDecidedV1, penalty));
    expect(fact).toEqual({
      caseId: penalty.caseId,
      decisionNumber: '连市监罚〔2026〕12号',
      department: '320700-SAMR',
      penalties: [{ kind: 'licence_suspension' }, { kind: 'fine', amount: 5000 }],
      licenceAction: { action: 'suspend', until: '2026-06-30', reason: '超范围经营' },
    });
    expect(Object.getPrototypeOf(fact.penalties[0])).toBe(Object.prototype);
  });

  it('records a null licence action when the decision had none', () => {
    const { licenceAction: _, ...withoutAction } = penalty;
    expect(penaltyFact(plainToInstance(PenaltyDecidedV1, { ...withoutAction, penalties: [{ kind: 'warning' }] })).licenceAction).toBeNull();
  });

  it('records compliant inspections too', () => {
    const event = plainToInstance(InspectionRecordedV1, {
      inspectionId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a02',
      uscc: '91320700MA00000001',
      department: '320700-SAMR',
      inspector: '张三',
      result: 'compliant',
      violations: [],
      inspectedAt: '2026-03-01T09:00:00Z',
    });
    expect(inspectionFact(event)).toEqual({
      inspectionId: event.inspectionId,
      department: '320700-SAMR',
      result: 'compliant',
      violations: [],
    });
  });
});

describe('commitment facts', () => {
  it('records fulfilment and breach with the findings', () => {
    const event = plainToInstance(CommitmentVerifiedV1, {
      verificationId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a05',
      approvalId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a06',
      uscc: '91320700MA00000001',
      itemCode: 'FOOD-BUSINESS-LICENCE',
      department: '320700-SAMR',
      outcome: 'breached',
      findings: '承诺的经营场所不存在',
      verifiedAt: '2026-03-01T09:00:00Z',
    });
    expect(commitmentFact(event)).toEqual({
      verificationId: event.verificationId,
      approvalId: event.approvalId,
      itemCode: 'FOOD-BUSINESS-LICENCE',
      department: '320700-SAMR',
      outcome: 'breached',
      findings: '承诺的经营场所不存在',
    });
  });
});
