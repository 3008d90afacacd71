import { TestSystem, testUscc, waitFor } from '@backbone/testing';

/**
 * kill -9 of the consuming services while 1,000 approvals flow: every approval ends with exactly one
 * task, claimed (the regulator's tasks are claimed on assignment here), every effect is applied once,
 * and reconciliation then finds no approval without its claimed task. Supervision is crashed first (it
 * consumes approvals) while posts keep arriving, then approval (it consumes the feedback) while the feedback
 * of the first two thirds is being applied; the last third is posted once it is back. The agency's client
 * retries its posts with the same application number, which the approval service answers idempotently.
 */
describe('crash recovery: kill -9 while approvals flow', () => {
  const APPROVALS = 1000;
  let system: TestSystem;
  let run: { from: string };

  beforeAll(async () => {
    const started = new Date();
    system = await TestSystem.start(['approval', 'supervision'], { supervision: { AUTO_CLAIM_DEPARTMENTS: '320700-SAMR' } });
    run = { from: started.toISOString() };
  });

  afterAll(async () => {
    await system?.stop();
  });

  async function postWithRetry(n: number): Promise<void> {
    const body = {
      applicationNumber: `CRASH-${n}`,
      uscc: testUscc(100_000 + (n % 250)), // 4 approvals per entity: per-key order matters
      entityName: `连云港压力测试${n}号有限公司`,
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind: 'licence',
      outcome: 'granted',
      licenceNumber: `JY1320703${String(n).padStart(5, '0')}`,
    };
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', body);
        if (response.status === 201 || response.status === 200) return;
        throw new Error(`status ${response.status}: ${JSON.stringify(response.body)}`);
      } catch (error) {
        if (attempt > 600) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  it('loses nothing and applies nothing twice', async () => {
    const approvalDb = await system.sql('approval');
    const supervisionDb = await system.sql('supervision');
    const count = async (db: typeof approvalDb, sql: string) => Number((await db.query(sql)).rows[0].n);

    // Two thirds are posted, then posting waits until approval has been killed and started again: so the
    // kill always falls while the loop is still flowing, however fast the first two thirds close.
    const gate = Math.floor((2 * APPROVALS) / 3);
    let resume!: () => void;
    const resumed = new Promise<void>((resolve) => (resume = resolve));
    let next = 0;
    const poster = async () => {
      while (next < APPROVALS) {
        if (next >= gate) await resumed;
        if (next >= APPROVALS) break;
        await postWithRetry(next++);
      }
    };
    const posting = Promise.all(Array.from({ length: 16 }, poster));

    await waitFor(
      'a third of the tasks',
      async () => (await count(supervisionDb, 'SELECT count(*) AS n FROM supervision_task')) >= APPROVALS / 3,
      { timeoutMs: 120_000 },
    );
    await system.service('supervision').crash();
    const tasksAtCrash = await count(supervisionDb, 'SELECT count(*) AS n FROM supervision_task');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await system.service('supervision').start();

    await waitFor(
      'a third of the feedback',
      async () =>
        (await count(approvalDb, `SELECT count(*) AS n FROM loop_event WHERE type = 'backbone.supervision.task-assigned.v1'`)) >=
        APPROVALS / 3,
      { timeoutMs: 180_000 },
    );
    await system.service('approval').crash();
    const feedbackAtCrash = await count(
      approvalDb,
      `SELECT count(*) AS n FROM loop_event WHERE type = 'backbone.supervision.task-assigned.v1'`,
    );
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await system.service('approval').start();
    resume();

    await posting;
    await waitFor(
      'every approval claimed at the approver',
      async () => (await count(approvalDb, `SELECT count(*) AS n FROM approval WHERE supervision_status = 'claimed'`)) === APPROVALS,
      { timeoutMs: 300_000, intervalMs: 500 },
    );

    expect(tasksAtCrash).toBeGreaterThan(0);
    expect(tasksAtCrash).toBeLessThan(APPROVALS);
    expect(feedbackAtCrash).toBeLessThan(APPROVALS);

    // Nothing lost: every approval was stored once and has its task.
    expect(await count(approvalDb, 'SELECT count(*) AS n FROM approval')).toBe(APPROVALS);
    expect(await count(supervisionDb, 'SELECT count(*) AS n FROM supervision_task')).toBe(APPROVALS);
    expect(await count(supervisionDb, 'SELECT count(DISTINCT approval_id) AS n FROM supervision_task')).toBe(APPROVALS);
    // Nothing applied twice: the approver's trail, the inbox record of the events it consumes and its record
    // of task assignments and claims (ADR 0031), holds each event id once (its key); one event of each
    // kind per approval: supervision published each once (its outbox deletes what Kafka acknowledged)...
    expect(await count(approvalDb, `SELECT count(*) AS n FROM loop_event WHERE type = 'backbone.supervision.task-assigned.v1'`)).toBe(
      APPROVALS,
    );
    expect(await count(approvalDb, `SELECT count(*) AS n FROM loop_event WHERE type = 'backbone.supervision.task-claimed.v1'`)).toBe(
      APPROVALS,
    );
    expect(
      await count(
        approvalDb,
        `SELECT count(*) AS n FROM (SELECT data ->> 'approvalId', type FROM loop_event
           WHERE type IN ('backbone.supervision.task-assigned.v1', 'backbone.supervision.task-claimed.v1')
           GROUP BY 1, 2 HAVING count(*) <> 1) AS twice`,
      ),
    ).toBe(0);
    // ...and every approval applied them (all claimed, waited for above).
    // Nothing stuck: both outboxes drained, no dead letters.
    await waitFor(
      'both outboxes drained',
      async () =>
        (await count(approvalDb, 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL')) === 0 &&
        (await count(supervisionDb, 'SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL')) === 0,
    );
    expect(await count(approvalDb, 'SELECT count(*) AS n FROM dead_letter')).toBe(0);
    expect(await count(supervisionDb, 'SELECT count(*) AS n FROM dead_letter')).toBe(0);
    // Reconciliation: every approval issued in the run has its claimed task.
    const reconciliation = await system.call(
      'supervision',
      'PLATFORM-OPS',
      'GET',
      `/reconciliation?from=${run.from}&to=${new Date().toISOString()}`,
    );
    expect(reconciliation.status).toBe(200);
    expect(reconciliation.body).toMatchObject({ approvalsGranted: APPROVALS, tasksClaimed: APPROVALS, gaps: [] });
  });
});
