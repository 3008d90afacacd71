import { advisoryLockKey } from '@backbone/messaging';
import { TestSystem, testUscc, waitFor } from '@backbone/testing';

/**
 * Reconciliation from both ends (issue #10, ADR 0075): supervision reads the approval service's ledger of
 * granted approvals, so an approval that never reached it is reported with where it stopped. Here the
 * approval service's relay is kept from publishing (another holder of its relay lock, as a wedged
 * instance would be): the approval stays in its outbox, and reconciliation, its gauge and the approval
 * side say so until the relay resumes. An overdue commitment verification is escalated by the sweep.
 */
describe('reconciliation from both ends', () => {
  let system: TestSystem;
  const startedAt = new Date(Date.now() - 60_000).toISOString();
  let sequence = 0;

  beforeAll(async () => {
    system = await TestSystem.start(['approval', 'supervision'], { supervision: { DEADLINE_SWEEP_INTERVAL_MS: '500' } });
  });

  afterAll(async () => {
    await system?.stop();
  });

  async function decide(uscc: string, kind: 'licence' | 'commitment' = 'licence') {
    sequence += 1;
    const decided = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', {
      applicationNumber: `RECON-${Date.now()}-${sequence}`,
      uscc,
      entityName: `连云港对账测试${sequence}有限公司`,
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind,
      outcome: 'granted',
      licenceNumber: `JY1320703${String(sequence).padStart(4, '0')}`,
    });
    expect(decided.status).toBe(201);
    return decided.body as { id: string; correlationId: string };
  }

  async function claimTaskOf(approvalId: string) {
    const task = await waitFor(`the task of approval ${approvalId}`, async () => {
      const found = await system.call('supervision', 'PLATFORM-OPS', 'GET', `/tasks?approvalId=${approvalId}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
    const claimed = await system.call('supervision', '320700-SAMR', 'POST', `/tasks/${task.id}/claim`, { handler: '王芳' });
    expect(claimed.status).toBe(200);
    return task;
  }

  function reconcile() {
    return system.call(
      'supervision',
      'PLATFORM-OPS',
      'GET',
      `/reconciliation?from=${startedAt}&to=${new Date(Date.now() + 60_000).toISOString()}`,
    );
  }

  it('reports an approval stuck in the approval service outbox, with where it stopped, until it is delivered', async () => {
    const delivered = await decide(testUscc(7_500_001));
    await claimTaskOf(delivered.id);
    expect((await reconcile()).body).toMatchObject({ approvalSide: { status: 'read', approvalsGranted: 1 }, gaps: [] });

    // The approval service restarts while something else holds its relay lock: it answers REST, its relay waits.
    await system.service('approval').stop();
    const approvalDb = await system.sql('approval');
    await approvalDb.query(`SELECT pg_advisory_lock($1)`, [advisoryLockKey('outbox-relay:approval')]);
    await system.service('approval').start();
    const stuck = await decide(testUscc(7_500_002));

    const reported = await reconcile();
    expect(reported.status).toBe(200);
    expect(reported.body.approvalSide).toEqual({ status: 'read', approvalsGranted: 2 });
    expect(reported.body.approvalsGranted).toBe(2);
    expect(reported.body.gaps).toEqual([
      expect.objectContaining({
        approvalId: stuck.id,
        reason: 'in_approval_outbox',
        stoppedAt: 'approval_outbox',
        detail: expect.stringMatching(/in the approval service's outbox since .*not yet acknowledged by Kafka/),
        taskId: null,
      }),
    ]);
    // The other end's own view: its ledger says the decided event is pending.
    const ledger = await system.call(
      'approval',
      'PLATFORM-OPS',
      'GET',
      `/ledger/approvals?from=${startedAt}&to=${new Date(Date.now() + 60_000).toISOString()}`,
    );
    expect(ledger.body.items.find((item: { approvalId: string }) => item.approvalId === stuck.id).publication).toMatchObject({
      status: 'pending',
      sentAt: null,
    });
    // The periodic reconciliation shows it as a gauge.
    await waitFor('the gauge to count the approval in the outbox', async () => {
      const metrics = await (await fetch(`${system.service('supervision').url}/metrics`)).text();
      return /supervision_reconciliation_gaps\{reason="in_approval_outbox"\} 1/.test(metrics) &&
        /supervision_reconciliation_approval_ledger_read 1/.test(metrics)
        ? metrics
        : undefined;
    });

    // The lock is released: the relay publishes, supervision routes it, the department claims, the gap closes.
    await approvalDb.query(`SELECT pg_advisory_unlock($1)`, [advisoryLockKey('outbox-relay:approval')]);
    await claimTaskOf(stuck.id);
    const closed = await reconcile();
    expect(closed.body).toMatchObject({ approvalsGranted: 2, tasksClaimed: 2, gaps: [] });
    // The gauge too: the window that differed is compared again at each tick until both ends match (ADR 0126).
    await waitFor('the gauge to count no approval in the outbox', async () => {
      const metrics = await (await fetch(`${system.service('supervision').url}/metrics`)).text();
      return /supervision_reconciliation_gaps\{reason="in_approval_outbox"\} 0/.test(metrics) &&
        /supervision_reconciliation_gaps\{reason="in_transit"\} 0/.test(metrics)
        ? metrics
        : undefined;
    });

    // Only operators reconcile; a bad period names the field.
    expect((await system.call('supervision', '320700-SAMR', 'GET', `/reconciliation?from=${startedAt}&to=${startedAt}`)).status).toBe(403);
    const notOperator = await system.call('approval', '320700-APPROVAL', 'GET', `/ledger/approvals?from=${startedAt}&to=${startedAt}`);
    expect(notOperator.status).toBe(403);
    const badCursor = await system.call(
      'approval',
      'PLATFORM-OPS',
      'GET',
      `/ledger/approvals?from=${startedAt}&to=${new Date().toISOString()}&cursor=x`,
    );
    expect(badCursor.status).toBe(422);
    expect(badCursor.body.code).toBe('BAD_CURSOR');
  });

  it('escalates a commitment verification not recorded by its due date, once, and the approver sees it', async () => {
    const approval = await decide(testUscc(7_500_003), 'commitment');
    const verification = await waitFor('the verification to be scheduled', async () => {
      const found = await system.call('supervision', '320700-SAMR', 'GET', `/commitment-verifications?approvalId=${approval.id}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
    const after = new Date(new Date(verification.dueAt).getTime() + 3_600_000).toISOString();
    const swept = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/admin/deadline-sweeps', { asOf: after });
    expect(swept.status).toBe(200);
    expect(swept.body.escalatedVerifications).toEqual([verification.id]);
    const again = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/admin/deadline-sweeps', { asOf: after });
    expect(again.body.escalatedVerifications).toEqual([]);
    const listed = await system.call('supervision', '320700-SAMR', 'GET', `/commitment-verifications?approvalId=${approval.id}`);
    expect(listed.body[0]).toMatchObject({ escalatedAt: after, verifiedAt: null });

    const trail = await waitFor('the escalation in the approval trail', async () => {
      const found = await system.call('approval', '320700-APPROVAL', 'GET', `/approvals/${approval.id}/trail`);
      const events: Array<{ type: string; data: Record<string, unknown> }> = found.body.events ?? found.body;
      return events.find((event) => event.type === 'backbone.supervision.commitment-verification-escalated.v1');
    });
    expect(trail.data).toMatchObject({ verificationId: verification.id, department: '320700-SAMR', escalatedAt: after });
  });
});
