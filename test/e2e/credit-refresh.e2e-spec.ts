import { randomUUID } from 'node:crypto';
import { createEnvelope, PenaltyDecidedV1, Topics } from '@backbone/contracts';
import { TestSystem, testUscc, waitFor } from '@backbone/testing';

/**
 * A fact ages out of the look-back period with no new fact about the entity: credit's scheduler
 * recomputes the stored standing, publishes it, and the approver's check on the next application
 * (逢办必查) sees the restored tier.
 */
describe('credit keeps itself current: a fact ages out → the scheduler restores the tier → the approver sees it', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start(['approval', 'credit'], { credit: { CREDIT_REFRESH_INTERVAL_MS: '500' } });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('restores tier A when the penalty leaves the 36-month look-back period', async () => {
    const uscc = testUscc(8_300_001);
    // A suspension and a fine (6 + 3 points → C) decided 36 months ago less 20 seconds.
    const decidedAt = new Date(Date.now() + 20_000);
    decidedAt.setUTCMonth(decidedAt.getUTCMonth() - 36);
    const penalty: PenaltyDecidedV1 = {
      caseId: randomUUID(),
      decisionId: randomUUID(),
      uscc,
      department: '320700-SAMR',
      decisionNumber: '连市监罚〔2023〕88号',
      penalties: [{ kind: 'licence_suspension' }, { kind: 'fine', amount: 20_000 }],
      decidedAt: decidedAt.toISOString(),
    };
    const producer = system.kafka().producer();
    await producer.connect();
    const envelope = createEnvelope(PenaltyDecidedV1, { source: '/tests', subject: uscc, data: penalty, correlationId: randomUUID() });
    await producer.send({ topic: system.topic(Topics.EnforcementEvents), messages: [{ key: uscc, value: JSON.stringify(envelope) }] });
    await producer.disconnect();

    const application = (n: number) => ({
      applicationNumber: `CR-${n}`,
      uscc,
      entityName: '连云港某某商贸有限公司',
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind: 'licence',
      outcome: 'granted',
      licenceNumber: `JY13207030${n}`,
    });
    const checkedTier = async (n: number) => {
      expect((await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', application(n))).status).toBe(201);
      const checks = await system.call('approval', '320700-APPROVAL', 'GET', `/credit-checks?uscc=${uscc}`);
      return (checks.body as Array<{ applicationNumber: string; tier: string }>).find((check) => check.applicationNumber === `CR-${n}`)
        ?.tier;
    };

    const credit = await system.sql('credit');
    const stored = async () => (await credit.query(`SELECT tier, next_review_at FROM credit_record WHERE uscc = $1`, [uscc])).rows[0];

    // While the penalty counts, the stored tier is C and the approver checks against it.
    await waitFor('the stored tier C', async () => (await stored())?.tier === 'C');
    let n = 0;
    const slow = { timeoutMs: 15_000, intervalMs: 500 };
    await waitFor('the approver checks against tier C', async () => (await checkedTier(++n)) === 'C', slow);

    // Nobody writes anything more: the scheduler alone restores the stored tier once the penalty ages out.
    await waitFor('the stored tier restored by the scheduler', async () => (await stored())?.tier === 'A', {
      timeoutMs: 60_000,
      intervalMs: 250,
    });
    expect(await stored()).toEqual({ tier: 'A', next_review_at: null });
    await waitFor('the approver checks against tier A', async () => (await checkedTier(++n)) === 'A', { ...slow, timeoutMs: 30_000 });
  }, 120_000);
});
