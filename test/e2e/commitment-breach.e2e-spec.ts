import { TestSystem, testUscc, waitFor } from '@backbone/testing';

/**
 * A commitment-based approval (告知承诺制) is verified afterwards; a breach revokes the licence at the
 * approver and is written into the credit record, which lists the entity for serious dishonesty.
 */
describe('commitment verification across approval, supervision and credit', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start(['approval', 'supervision', 'credit']);
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('a breach revokes the licence and marks the credit record', async () => {
    const uscc = testUscc(8_200_001);
    const decided = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', {
      applicationNumber: 'CMT-1',
      uscc,
      entityName: '连云港某某餐饮管理有限公司',
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind: 'commitment',
      outcome: 'granted',
      licenceNumber: 'JY13207030777',
    });
    expect(decided.status).toBe(201);
    const approvalId: string = decided.body.id;

    const verification = await waitFor('the verification to be scheduled', async () => {
      const found = await system.call('supervision', '320700-SAMR', 'GET', `/commitment-verifications?approvalId=${approvalId}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
    const recorded = await system.call('supervision', '320700-SAMR', 'POST', `/commitment-verifications/${verification.id}/result`, {
      outcome: 'breached',
      findings: '承诺的冷链储存条件不具备，与承诺内容不符',
    });
    expect(recorded.status).toBe(200);

    const revoked = await waitFor('the licence revoked at the approver', async () => {
      const approval = await system.call('approval', '320700-APPROVAL', 'GET', `/approvals/${approvalId}`);
      return approval.body.licence.status === 'revoked' ? approval.body : undefined;
    });
    expect(JSON.stringify(revoked.licence)).toContain('commitment');

    const record = await waitFor('the breach in the credit record', async () => {
      const found = await system.call('credit', '320700-SAMR', 'GET', `/credit-records/${uscc}/full`);
      return found.body.commitments?.length === 1 ? found.body : undefined;
    });
    expect(record.commitments[0].detail).toMatchObject({ outcome: 'breached' });
    expect(record.lists).toContain('serious_dishonesty');
    expect(record.tier).toBe('D');

    // The trail shows the whole loop, in order, on the approval's correlation id.
    const trail = await waitFor('the trail to hold the revocation', async () => {
      const found = await system.call('approval', '320700-APPROVAL', 'GET', `/approvals/${approvalId}/trail`);
      const types = (found.body.events ?? found.body).map((event: { type: string }) => event.type);
      return types.includes('backbone.approval.licence-status-changed.v1') ? types : undefined;
    });
    expect(trail.indexOf('backbone.approval.decided.v2')).toBeLessThan(trail.indexOf('backbone.supervision.commitment-verified.v1'));
    expect(trail.indexOf('backbone.supervision.commitment-verified.v1')).toBeLessThan(
      trail.indexOf('backbone.approval.licence-status-changed.v1'),
    );
  });
});
