import { plainToInstance } from 'class-transformer';
import { CaseTransferredV1, UnlicensedOperationClueV1 } from '@backbone/contracts';
import { caseFromTransfer } from '../open-case-from-transfer/open-case-from-transfer.message.controller';
import { caseFromClue } from './open-case-from-clue.message.controller';

describe('caseFromClue', () => {
  it("opens the case in the clue's department, once per clue, under the unlicensed code of its basis", () => {
    const clue = plainToInstance(UnlicensedOperationClueV1, {
      clueId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a09',
      uscc: '91320700MA00000001',
      entityName: '某餐馆',
      department: '320700-HEALTH',
      basis: 'no_permit',
      reason: '无许可经营',
      detectedAt: '2026-03-01T09:00:00Z',
    });
    expect(caseFromClue(clue, 'corr-1')).toEqual({
      correlationId: 'corr-1',
      uscc: '91320700MA00000001',
      department: '320700-HEALTH',
      violationCodes: ['UNLICENSED-NO-PERMIT'],
      source: 'unlicensed_clue',
      sourceKey: 'clue:5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a09',
    });
  });
});

describe('caseFromTransfer', () => {
  const transfer = (target: 'department' | 'judicial') =>
    plainToInstance(CaseTransferredV1, {
      caseId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a01',
      uscc: '91320700MA00000001',
      fromDepartment: '320700-SAMR',
      target,
      toDepartment: '320700-HEALTH',
      violationCodes: ['FOOD-001'],
      reason: '不属本部门管辖',
      transferredAt: '2026-03-01T09:00:00Z',
    });

  it('gives the receiving department a case of its own', () => {
    expect(caseFromTransfer(transfer('department'), 'corr-1')).toMatchObject({
      department: '320700-HEALTH',
      violationCodes: ['FOOD-001'],
      source: 'transfer',
      sourceKey: 'transfer:5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a01:320700-HEALTH',
    });
  });

  it('opens nothing for a judicial transfer (it leaves the administrative system)', () => {
    expect(caseFromTransfer(transfer('judicial'), 'corr-1')).toBeNull();
  });
});
