import { randomUUID } from 'node:crypto';
import { ApprovalDecidedV1, createEnvelope, Envelope } from '@backbone/contracts';
import { testUscc } from './uscc-fixtures';

/** A granted food-business licence of test entity `n` (see testUscc), as the approval service announces it. */
export function decidedApproval(n: number, overrides: Partial<ApprovalDecidedV1> = {}): ApprovalDecidedV1 {
  return {
    approvalId: randomUUID(),
    version: 1,
    uscc: testUscc(n),
    entityName: '连云港测试有限公司',
    itemCode: 'FOOD-BUSINESS-LICENCE',
    regionCode: '320703',
    approverDepartment: '320700-APPROVAL',
    kind: 'licence',
    outcome: 'granted',
    decidedAt: new Date().toISOString(),
    ...overrides,
  };
}

/** The same, in its envelope: keyed by the entity, a correlation id of its own. */
export function decidedApprovalEvent(n: number, overrides: Partial<ApprovalDecidedV1> = {}): Envelope<ApprovalDecidedV1> {
  const data = decidedApproval(n, overrides);
  return createEnvelope(ApprovalDecidedV1, { source: '/tests', subject: data.uscc, data, correlationId: randomUUID() });
}
