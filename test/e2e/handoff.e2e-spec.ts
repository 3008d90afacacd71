import { randomUUID } from 'node:crypto';
import {
  ApprovalChangedV1,
  ApprovalDecidedV1,
  ApprovalDecidedV2,
  createEnvelope,
  DelegationV1,
  EntrustmentV1,
  EventClass,
} from '@backbone/contracts';
import { TestSystem, testUscc, waitFor, KEEP_PUBLISHED } from '@backbone/testing';

/**
 * The handoff (issue #3), supervision side, through REST with approval and supervision as separate
 * processes: every approval reaches the department that must supervise it, that department acknowledges it
 * within a deadline, and what falls between two departments is seen and fixed. Assertions are on
 * supervision's REST and outbox, and on approval's GET /approvals/:id for supervision.status only.
 */
describe('the handoff from approval to supervision', () => {
  let system: TestSystem;
  const startedAt = new Date(Date.now() - 60_000).toISOString();
  let sequence = 0;

  beforeAll(async () => {
    system = await TestSystem.start(['approval', 'supervision'], {
      approval: KEEP_PUBLISHED,
      supervision: { DEADLINE_SWEEP_INTERVAL_MS: '0', ...KEEP_PUBLISHED },
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  async function decide(uscc: string, itemCode: string, regionCode: string, kind: 'licence' | 'filing' | 'commitment' = 'licence') {
    sequence += 1;
    const decided = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', {
      applicationNumber: `HANDOFF-${Date.now()}-${sequence}`,
      uscc,
      entityName: `连云港交接测试${sequence}有限公司`,
      itemCode,
      regionCode,
      kind,
      outcome: 'granted',
      licenceNumber: `LIC-${sequence}`,
    });
    expect(decided.status).toBe(201);
    return decided.body as { id: string; correlationId: string };
  }

  async function taskOf(approvalId: string) {
    return waitFor(`the task of approval ${approvalId}`, async () => {
      const found = await system.call('supervision', 'PLATFORM-OPS', 'GET', `/tasks?approvalId=${approvalId}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
  }

  async function approverSees(approvalId: string, status: 'assigned' | 'claimed') {
    await waitFor(`the approver to see ${status}`, async () => {
      const approval = await system.call('approval', '320700-APPROVAL', 'GET', `/approvals/${approvalId}`);
      return approval.body.supervision?.status === status ? approval.body : undefined;
    });
  }

  async function outboxEvents(type: string, correlationId: string): Promise<Array<Record<string, any>>> {
    const db = await system.sql('supervision');
    const rows = await db.query(`SELECT value FROM outbox_message WHERE event_type = $1 AND correlation_id = $2 ORDER BY id, position`, [
      type,
      correlationId,
    ]);
    return rows.rows.map((row: { value: Buffer }) => JSON.parse(row.value.toString()).data);
  }

  it('flags an unrouted approval, routes it as soon as a catalog entry covers it, and the department claims it', async () => {
    const uscc = testUscc(7_300_001);
    const approval = await decide(uscc, 'PET-CLINIC-LICENCE', '320703');

    const vacuum = await waitFor('the supervision vacuum to list it', async () => {
      const found = await system.call('supervision', 'PLATFORM-OPS', 'GET', '/unrouted-approvals');
      return found.body.find((row: { approvalId: string }) => row.approvalId === approval.id);
    });
    expect(vacuum.reason).toMatch(/no catalog entry for item PET-CLINIC-LICENCE in region 320703/);
    const metrics = await (await fetch(`${system.service('supervision').url}/metrics`)).text();
    expect(metrics).toMatch(/supervision_unrouted_approvals_total\{item_code="PET-CLINIC-LICENCE"\} 1/);
    const reconciled = await system.call(
      'supervision',
      'PLATFORM-OPS',
      'GET',
      `/reconciliation?from=${startedAt}&to=${new Date(Date.now() + 60_000).toISOString()}`,
    );
    expect(reconciled.status).toBe(200);
    expect(reconciled.body.gaps).toEqual(
      expect.arrayContaining([expect.objectContaining({ approvalId: approval.id, reason: 'unrouted' })]),
    );

    const entryBody = {
      itemCode: 'PET-CLINIC-SUPERVISION',
      approvalItemCodes: ['PET-CLINIC-LICENCE'],
      regionCode: '320700',
      itemName: '动物诊疗许可事项监管',
      mode: 'separated',
      supervisingDepartment: '320700-HEALTH',
      supervisionObject: '取得动物诊疗许可证的机构',
      measures: '日常检查、双随机抽查',
      legalBasis: '《中华人民共和国动物防疫法》第六十一条',
      resultHandling: '检查结果公示并归集至信用记录',
      responsibleLeader: '分管副主任',
      undertakingOffice: '动物卫生监督所',
      handler: '张敏',
      claimDeadlineDays: 3,
    };
    // Only catalog administrators; bad input names the field and the rule and writes nothing.
    const notAdmin = await system.call('supervision', '320700-SAMR', 'POST', '/catalog-entries', entryBody);
    expect(notAdmin.status).toBe(403);
    expect(notAdmin.body.code).toBe('ROLE_REQUIRED');
    const bad = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/catalog-entries', {
      ...entryBody,
      regionCode: '3207',
      legalBasis: undefined,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'regionCode', rule: 'matches' }),
        expect.objectContaining({ field: 'legalBasis', rule: 'isString' }),
      ]),
    );
    const noAuthority = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/catalog-entries', {
      ...entryBody,
      supervisingDepartment: undefined,
    });
    expect(noAuthority.status).toBe(400);
    expect(noAuthority.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'supervisingDepartment' })]));

    const created = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/catalog-entries', entryBody);
    expect(created.status).toBe(201);
    expect(created.body.entry).toMatchObject({ version: 1, level: 'city', supervisingDepartment: '320700-HEALTH', handler: '张敏' });
    expect(created.body.routedTasks).toEqual([
      expect.objectContaining({
        approvalId: approval.id,
        assignedDepartment: '320700-HEALTH',
        status: 'assigned',
        routing: expect.objectContaining({ catalogEntryId: created.body.entry.id, catalogVersion: 1 }),
      }),
    ]);
    const overlap = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/catalog-entries', entryBody);
    expect(overlap.status).toBe(409);
    expect(overlap.body.code).toBe('CATALOG_ENTRY_OVERLAP');

    const unrouted = await system.call('supervision', 'PLATFORM-OPS', 'GET', '/unrouted-approvals');
    expect(unrouted.body.map((row: { approvalId: string }) => row.approvalId)).not.toContain(approval.id);
    expect(await outboxEvents('backbone.supervision.task-assigned.v1', approval.correlationId)).toHaveLength(1);
    await approverSees(approval.id, 'assigned');

    const task = await taskOf(approval.id);
    const claimed = await system.call('supervision', '320700-HEALTH', 'POST', `/tasks/${task.id}/claim`, { handler: '张敏' });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', claim: { handler: '张敏' } });
    await approverSees(approval.id, 'claimed');

    // Amending the entry makes version 2 and keeps the history; the task keeps the version it was routed under.
    const amended = await system.call('supervision', 'PLATFORM-OPS', 'PATCH', `/catalog-entries/${created.body.entry.id}`, {
      handler: '李娜',
      changeNote: '经办人调整',
    });
    expect(amended.status).toBe(200);
    expect(amended.body.entry).toMatchObject({ version: 2, handler: '李娜' });
    const history = await system.call('supervision', 'PLATFORM-OPS', 'GET', `/catalog-entries/${created.body.entry.id}/history`);
    expect(history.body.map((v: { version: number; snapshot: { handler: string } }) => [v.version, v.snapshot.handler])).toEqual([
      [1, '张敏'],
      [2, '李娜'],
    ]);
    expect((await system.call('supervision', '320700-HEALTH', 'GET', `/tasks/${task.id}`)).body.routing.catalogVersion).toBe(1);
  });

  it('reminds before and escalates after the claim deadline, once each, judged by the sweep as of an instant', async () => {
    const approval = await decide(testUscc(7_300_002), 'FOOD-BUSINESS-LICENCE', '320703');
    const task = await taskOf(approval.id);
    expect(task).toMatchObject({ assignedDepartment: '320700-SAMR', status: 'assigned', reminded: false, escalated: false });
    const deadline = new Date(task.claimDeadline).getTime();

    const notOperator = await system.call('supervision', '320700-SAMR', 'POST', '/admin/deadline-sweeps', {});
    expect(notOperator.status).toBe(403);
    const badAsOf = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/admin/deadline-sweeps', { asOf: 'tomorrow' });
    expect(badAsOf.status).toBe(400);
    expect(badAsOf.body.errors).toEqual([expect.objectContaining({ field: 'asOf', rule: 'isRfc3339DateTime' })]);

    const early = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/admin/deadline-sweeps', {
      asOf: new Date(deadline - 30 * 3600_000).toISOString(),
    });
    expect(early.body.reminded).not.toContain(task.id);
    const nearing = new Date(deadline - 3600_000).toISOString();
    const reminded = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/admin/deadline-sweeps', { asOf: nearing });
    expect(reminded.status).toBe(200);
    expect(reminded.body.reminded).toContain(task.id);
    const again = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/admin/deadline-sweeps', { asOf: nearing });
    expect(again.body.reminded).not.toContain(task.id);

    const passed = new Date(deadline + 1000).toISOString();
    const escalated = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/admin/deadline-sweeps', { asOf: passed });
    expect(escalated.body.escalated).toContain(task.id);
    const twice = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/admin/deadline-sweeps', { asOf: passed });
    expect(twice.body.escalated).not.toContain(task.id);

    const seen = await system.call('supervision', '320700-SAMR', 'GET', `/tasks/${task.id}`);
    expect(seen.body).toMatchObject({ status: 'assigned', reminded: true, escalated: true, escalatedAt: passed });
    expect(await outboxEvents('backbone.supervision.task-claim-reminder.v1', approval.correlationId)).toEqual([
      expect.objectContaining({
        taskId: task.id,
        assignedDepartment: '320700-SAMR',
        claimDeadline: task.claimDeadline,
        remindedAt: nearing,
      }),
    ]);
    // The approver shows the reminder's own time (the sweep's instant), carried by the event.
    await waitFor('the approver to show the reminder time', async () => {
      const seenByApprover = await system.call('approval', '320700-APPROVAL', 'GET', `/approvals/${approval.id}`);
      return seenByApprover.body.supervision?.claimRemindedAt === nearing;
    });
    expect(await outboxEvents('backbone.supervision.task-escalated.v1', approval.correlationId)).toEqual([
      expect.objectContaining({ taskId: task.id, escalatedAt: passed }),
    ]);
    // An escalated task is open and seen: reconciliation does not count it as a gap.
    const reconciled = await system.call(
      'supervision',
      'PLATFORM-OPS',
      'GET',
      `/reconciliation?from=${startedAt}&to=${new Date(Date.now() + 60_000).toISOString()}`,
    );
    expect(reconciled.body.gaps.map((gap: { approvalId: string }) => gap.approvalId)).not.toContain(approval.id);

    // A late claim still closes the loop.
    const claimed = await system.call('supervision', '320700-SAMR', 'POST', `/tasks/${task.id}/claim`, { handler: '王芳' });
    expect(claimed.status).toBe(200);
    await approverSees(approval.id, 'claimed');
  });

  it('re-routes a task its department returns, and the new department claims it', async () => {
    const approval = await decide(testUscc(7_300_003), 'PUBLIC-PLACE-HEALTH-LICENCE', '320703');
    const task = await taskOf(approval.id);
    expect(task.assignedDepartment).toBe('320700-HEALTH');

    const noReason = await system.call('supervision', '320700-HEALTH', 'POST', `/tasks/${task.id}/return`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason' })]));
    const notTheirs = await system.call('supervision', '320700-SAMR', 'POST', `/tasks/${task.id}/return`, { reason: '不是我们的' });
    expect(notTheirs.status).toBe(403);

    const returned = await system.call('supervision', '320700-HEALTH', 'POST', `/tasks/${task.id}/return`, {
      reason: '该场所属于游泳场所，由体育部门监管',
    });
    expect(returned.status).toBe(200);
    // The catalog names no other department: the task waits, returned and in sight, for an operator.
    expect(returned.body).toMatchObject({ status: 'returned', returns: [expect.objectContaining({ department: '320700-HEALTH' })] });
    expect(await outboxEvents('backbone.supervision.task-returned.v1', approval.correlationId)).toEqual([
      expect.objectContaining({ taskId: task.id, department: '320700-HEALTH', reason: '该场所属于游泳场所，由体育部门监管' }),
    ]);
    const illegal = await system.call('supervision', '320700-HEALTH', 'POST', `/tasks/${task.id}/claim`, { handler: '赵六' });
    expect(illegal.status).toBe(409);
    expect(illegal.body.code).toBe('ILLEGAL_TASK_TRANSITION');
    const listed = await system.call('supervision', 'PLATFORM-OPS', 'GET', '/tasks?status=returned');
    expect(listed.body.map((t: { id: string }) => t.id)).toContain(task.id);

    const notOperator = await system.call('supervision', '320700-HEALTH', 'POST', `/tasks/${task.id}/assignment`, {
      department: '320700-SAMR',
      reason: '协调',
    });
    expect(notOperator.status).toBe(403);
    const assigned = await system.call('supervision', 'PLATFORM-OPS', 'POST', `/tasks/${task.id}/assignment`, {
      department: '320700-SAMR',
      reason: '经协调由市场监管部门监管',
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({
      status: 'assigned',
      assignedDepartment: '320700-SAMR',
      routing: { basis: 'manual', assignedBy: 'PLATFORM-OPS', assignmentNote: '经协调由市场监管部门监管' },
    });
    expect(await outboxEvents('backbone.supervision.task-assigned.v1', approval.correlationId)).toEqual([
      expect.objectContaining({ assignedDepartment: '320700-HEALTH' }),
      expect.objectContaining({ assignedDepartment: '320700-SAMR' }),
    ]);

    const claimed = await system.call('supervision', '320700-SAMR', 'POST', `/tasks/${task.id}/claim`, { handler: '王芳' });
    expect(claimed.status).toBe(200);
    await approverSees(approval.id, 'claimed');
    const tasks = await system.call('supervision', '320700-SAMR', 'GET', `/tasks?approvalId=${approval.id}`);
    expect(tasks.body).toHaveLength(1);
  });

  it('re-routes a returned task as soon as an amended catalog entry names another department', async () => {
    const approval = await decide(testUscc(7_300_007), 'PUBLIC-PLACE-HEALTH-LICENCE', '320705');
    const task = await taskOf(approval.id);
    expect(task).toMatchObject({ assignedDepartment: '320700-HEALTH', routing: { catalogVersion: 1 } });
    const returned = await system.call('supervision', '320700-HEALTH', 'POST', `/tasks/${task.id}/return`, {
      reason: '游泳场所由体育部门监管',
    });
    expect(returned.body.status).toBe('returned');

    const amended = await system.call('supervision', 'PLATFORM-OPS', 'PATCH', `/catalog-entries/${task.routing.catalogEntryId}`, {
      supervisingDepartment: '320700-SAMR',
      changeNote: '职责调整：由市场监管部门监管',
    });
    expect(amended.status).toBe(200);
    expect(amended.body.routedTasks).toEqual([
      expect.objectContaining({
        id: task.id,
        status: 'assigned',
        assignedDepartment: '320700-SAMR',
        routing: expect.objectContaining({ catalogVersion: 2, assignedBy: 'routing' }),
      }),
    ]);
    expect((await system.call('supervision', '320700-SAMR', 'POST', `/tasks/${task.id}/claim`, { handler: '王芳' })).status).toBe(200);
    await approverSees(approval.id, 'claimed');
  });

  it('verifies a commitment-based approval and records the result', async () => {
    const approval = await decide(testUscc(7_300_004), 'FOOD-BUSINESS-LICENCE', '320703', 'commitment');
    const task = await taskOf(approval.id);
    expect(task.routing.basis).toBe('commitment');
    const verification = await waitFor('the verification to be scheduled', async () => {
      const found = await system.call('supervision', '320700-SAMR', 'GET', `/commitment-verifications?approvalId=${approval.id}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
    expect(verification).toMatchObject({ taskId: task.id, outcome: null, overdue: false });
    expect(new Date(verification.dueAt).getTime()).toBeGreaterThan(Date.now() + 14 * 86_400_000); // 20 working days
    const wrong = await system.call('supervision', '320700-HEALTH', 'POST', `/commitment-verifications/${verification.id}/result`, {
      outcome: 'fulfilled',
      findings: '符合',
    });
    expect(wrong.status).toBe(403);
    const recorded = await system.call('supervision', '320700-SAMR', 'POST', `/commitment-verifications/${verification.id}/result`, {
      outcome: 'breached',
      findings: '承诺的冷链储存条件不具备',
    });
    expect(recorded.status).toBe(200);
    expect(await outboxEvents('backbone.supervision.commitment-verified.v1', approval.correlationId)).toEqual([
      expect.objectContaining({ approvalId: approval.id, department: '320700-SAMR', outcome: 'breached' }),
    ]);
    expect((await system.call('supervision', '320700-SAMR', 'POST', `/tasks/${task.id}/claim`, { handler: '王芳' })).status).toBe(200);
  });

  it('tells both sides of a registration which licences it needs, and pushes a clue when one never comes', async () => {
    const uscc = testUscc(7_300_005);
    const notRegistrar = await system.call('supervision', '320700-HEALTH', 'POST', '/registrations', {
      uscc,
      entityName: 'x',
      regionCode: '320703',
      businessScope: '餐饮服务',
    });
    expect(notRegistrar.status).toBe(403);
    const registered = await system.call('supervision', '320700-SAMR', 'POST', '/registrations', {
      uscc,
      entityName: '连云港海州宾馆有限公司',
      regionCode: '320703',
      businessScope: '住宿服务；餐饮服务；会议服务',
    });
    expect(registered.status).toBe(201);
    const needed = registered.body.licencesNeeded;
    expect(needed.map((n: { itemCode: string; licensingDepartment: string }) => [n.itemCode, n.licensingDepartment])).toEqual(
      expect.arrayContaining([
        ['FOOD-BUSINESS-LICENCE', '320700-SAMR'],
        ['PUBLIC-PLACE-HEALTH-LICENCE', '320700-HEALTH'],
      ]),
    );
    expect(needed).toHaveLength(2);
    const notified = await outboxEvents('backbone.supervision.entity-notified.v1', registered.body.correlationId);
    expect(notified.map((n) => [n.licensingDepartment, n.itemCodes])).toEqual(
      expect.arrayContaining([
        ['320700-SAMR', ['FOOD-BUSINESS-LICENCE']],
        ['320700-HEALTH', ['PUBLIC-PLACE-HEALTH-LICENCE']],
      ]),
    );

    // 双反馈: each notified department reports back, and only it.
    const health = needed.find((n: { itemCode: string }) => n.itemCode === 'PUBLIC-PLACE-HEALTH-LICENCE');
    const foreign = await system.call('supervision', '320700-SAMR', 'POST', `/notifications/${health.notificationId}/feedback`, {
      action: 'received',
    });
    expect(foreign.status).toBe(403);
    const feedback = await system.call('supervision', '320700-HEALTH', 'POST', `/notifications/${health.notificationId}/feedback`, {
      action: 'guided_applicant',
      note: '已告知申请人办理公共场所卫生许可',
    });
    expect(feedback.status).toBe(201);

    // The food licence is granted; the health licence never comes.
    const food = await decide(uscc, 'FOOD-BUSINESS-LICENCE', '320703');
    await waitFor('the registration to show the food licence', async () => {
      const found = await system.call('supervision', '320700-SAMR', 'GET', `/registrations/${registered.body.id}`);
      return found.body.licencesNeeded.find(
        (n: { itemCode: string; licensed: boolean }) => n.itemCode === 'FOOD-BUSINESS-LICENCE' && n.licensed,
      );
    });
    const foodTask = await taskOf(food.id);
    expect((await system.call('supervision', '320700-SAMR', 'POST', `/tasks/${foodTask.id}/claim`, { handler: '王芳' })).status).toBe(200);

    const dueAt = new Date(health.licenceDueAt).getTime();
    const before = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/admin/deadline-sweeps', {
      asOf: new Date(dueAt - 1000).toISOString(),
    });
    expect(before.body.unlicensedClues).toEqual([]);
    const after = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/admin/deadline-sweeps', {
      asOf: new Date(dueAt + 1000).toISOString(),
    });
    expect(after.body.unlicensedClues).toHaveLength(1);
    const clues = await outboxEvents('backbone.supervision.unlicensed-operation-clue.v1', registered.body.correlationId);
    expect(clues).toEqual([
      expect.objectContaining({
        uscc,
        itemCode: 'PUBLIC-PLACE-HEALTH-LICENCE',
        department: '320700-HEALTH',
        basis: 'no_permit',
        clueId: after.body.unlicensedClues[0],
      }),
    ]);
    const shown = await system.call('supervision', '320700-SAMR', 'GET', `/registrations/${registered.body.id}`);
    expect(shown.body.licencesNeeded).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ itemCode: 'FOOD-BUSINESS-LICENCE', licensed: true, unlicensedClueId: null }),
        expect.objectContaining({
          itemCode: 'PUBLIC-PLACE-HEALTH-LICENCE',
          licensed: false,
          unlicensedClueId: after.body.unlicensedClues[0],
          feedback: [expect.objectContaining({ action: 'guided_applicant' })],
        }),
      ]),
    );
  });

  it('pushes a reported unlicensed operation to the market regulator or to the department the law names', async () => {
    const uscc = testUscc(7_300_006);
    const noBusinessLicence = await system.call('supervision', '320700-HEALTH', 'POST', '/unlicensed-operation-clues', {
      uscc,
      entityName: '无照美发店',
      regionCode: '320703',
      hasBusinessLicence: false,
      reason: '营业执照已被吊销仍在经营',
    });
    expect(noBusinessLicence.status).toBe(201);
    expect(noBusinessLicence.body).toMatchObject({ department: '320700-SAMR', basis: 'no_business_licence' });
    const neither = await system.call('supervision', '320700-SAMR', 'POST', '/unlicensed-operation-clues', {
      uscc,
      entityName: '无照美发店',
      regionCode: '320703',
      hasBusinessLicence: false,
      itemCode: 'PUBLIC-PLACE-HEALTH-LICENCE',
      reason: '无照无证经营美发',
    });
    expect(neither.body).toMatchObject({ department: '320700-HEALTH', basis: 'no_permit' });
    expect(await outboxEvents('backbone.supervision.unlicensed-operation-clue.v1', neither.body.correlationId)).toEqual([
      expect.objectContaining({ uscc, department: '320700-HEALTH', basis: 'no_permit' }),
    ]);
    const unknown = await system.call('supervision', '320700-SAMR', 'POST', '/unlicensed-operation-clues', {
      uscc,
      entityName: '某矿',
      regionCode: '320703',
      hasBusinessLicence: true,
      itemCode: 'MINING-LICENCE',
      reason: '无证采矿',
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.code).toBe('UNLICENSED_CLUE_UNROUTABLE');
    const bad = await system.call('supervision', '320700-SAMR', 'POST', '/unlicensed-operation-clues', {
      uscc,
      entityName: 'x',
      regionCode: '320703',
      reason: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'hasBusinessLicence', rule: 'isBoolean' })]);
  });

  it('reconciles: every granted approval has a claimed task or an open escalation', async () => {
    const reconciled = await system.call(
      'supervision',
      'PLATFORM-OPS',
      'GET',
      `/reconciliation?from=${startedAt}&to=${new Date(Date.now() + 60_000).toISOString()}`,
    );
    expect(reconciled.status).toBe(200);
    expect(reconciled.body.gaps).toEqual([]);
    expect(reconciled.body.approvalsGranted).toBe(6);
    expect(reconciled.body.tasksClaimed).toBe(6);
    const bad = await system.call('supervision', 'PLATFORM-OPS', 'GET', '/reconciliation?from=yesterday');
    expect(bad.status).toBe(400);
  });
});

/**
 * Supervision's side of the approval v2 events and approval changes, on its own: they are produced here as
 * approval publishes them, onto approval's topic, so each case can be sent exactly as wanted, and
 * supervision alone consumes them. Assertions on supervision's REST and outbox.
 */
describe('the handoff of approval v2 events and approval changes', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start(['supervision'], { supervision: { DEADLINE_SWEEP_INTERVAL_MS: '0', ...KEEP_PUBLISHED } });
  });

  afterAll(async () => {
    await system?.stop();
  });

  async function publish<T extends object>(eventClass: EventClass<T>, subject: string, data: T, correlationId: string) {
    const producer = system.kafka().producer();
    await producer.connect();
    const envelope = createEnvelope(eventClass, { source: '/services/approval', subject, data, correlationId });
    await producer.send({ topic: system.topic(eventClass.topic), messages: [{ key: subject, value: JSON.stringify(envelope) }] });
    await producer.disconnect();
  }

  function decided(uscc: string, itemCode: string, regionCode: string, extra: Partial<ApprovalDecidedV2> = {}): ApprovalDecidedV2 {
    return Object.assign(new ApprovalDecidedV2(), {
      approvalId: randomUUID(),
      version: 1,
      uscc,
      entityName: '连云港委托下放测试有限公司',
      itemCode,
      regionCode,
      approverDepartment: `${regionCode}-APPROVAL`,
      kind: 'licence',
      outcome: 'granted',
      licenceNumber: 'LIC-V2',
      decidedAt: new Date().toISOString(),
      ...extra,
    });
  }

  async function taskOf(approvalId: string) {
    return waitFor(`the task of approval ${approvalId}`, async () => {
      const found = await system.call('supervision', 'PLATFORM-OPS', 'GET', `/tasks?approvalId=${approvalId}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
  }

  async function outboxEvents(type: string, correlationId: string): Promise<Array<Record<string, any>>> {
    const db = await system.sql('supervision');
    const rows = await db.query(`SELECT value FROM outbox_message WHERE event_type = $1 AND correlation_id = $2 ORDER BY id, position`, [
      type,
      correlationId,
    ]);
    return rows.rows.map((row: { value: Buffer }) => JSON.parse(row.value.toString()).data);
  }

  it('routes delegated approval power to the supervising department of the approving level, never the original one', async () => {
    const correlationId = randomUUID();
    const approval = decided(testUscc(7_400_001), 'FOOD-BUSINESS-LICENCE', '320703', {
      delegation: Object.assign(new DelegationV1(), { fromRegionCode: '320700', fromDepartment: '320700-APPROVAL' }),
    });
    await publish(ApprovalDecidedV2, approval.uscc, approval, correlationId);
    // The catalog names the food authority only at the city, the level the power came from: a vacuum, in sight.
    const vacuum = await waitFor('the vacuum to list the delegated approval', async () => {
      const found = await system.call('supervision', 'PLATFORM-OPS', 'GET', '/unrouted-approvals');
      return found.body.find((row: { approvalId: string }) => row.approvalId === approval.approvalId);
    });
    expect(vacuum.reason).toMatch(/delegated from 320700 to 320703/);

    const created = await system.call('supervision', 'PLATFORM-OPS', 'POST', '/catalog-entries', {
      itemCode: 'FOOD-BUSINESS-SUPERVISION',
      approvalItemCodes: ['FOOD-BUSINESS-LICENCE'],
      regionCode: '320703',
      itemName: '食品经营许可事项监管（海州区）',
      mode: 'separated',
      supervisingDepartment: '320703-SAMR',
      supervisionObject: '取得许可的食品经营者',
      measures: '日常检查',
      legalBasis: '《中华人民共和国食品安全法》第三十五条',
      resultHandling: '检查结果公示',
      responsibleLeader: '分管副局长',
      undertakingOffice: '食品经营监管科',
      handler: '周涛',
    });
    expect(created.status).toBe(201);
    expect(created.body.entry.level).toBe('county');
    expect(created.body.routedTasks).toEqual([
      expect.objectContaining({ approvalId: approval.approvalId, assignedDepartment: '320703-SAMR' }),
    ]);
    const task = await taskOf(approval.approvalId);
    expect(task.delegation).toEqual({ fromRegionCode: '320700', fromDepartment: '320700-APPROVAL' });
    expect(await outboxEvents('backbone.supervision.task-assigned.v1', correlationId)).toEqual([
      expect.objectContaining({ assignedDepartment: '320703-SAMR' }),
    ]);
  });

  it('records an entrusted approval explicitly, follows its changes on the same task, and closes it when cancelled', async () => {
    const correlationId = randomUUID();
    const approval = decided(testUscc(7_400_002), 'CONSTRUCTION-PERMIT', '320700', {
      entrustment: Object.assign(new EntrustmentV1(), { entrustingDepartment: '320700-HOUSING', agreement: '连住建委〔2026〕3号委托书' }),
    });
    // While readers move, the approver may publish the decision as v1 and as v2: v1 alone routes to the approver...
    const { entrustment: _entrustment, delegation: _delegation, ...v1 } = approval;
    await publish(ApprovalDecidedV1, approval.uscc, Object.assign(new ApprovalDecidedV1(), v1), correlationId);
    expect(await taskOf(approval.approvalId)).toMatchObject({ assignedDepartment: '320700-APPROVAL', entrustment: null });
    // ...v2 says the approval was entrusted: the same task follows it to the entrusting department.
    await publish(ApprovalDecidedV2, approval.uscc, approval, correlationId);
    await publish(ApprovalDecidedV2, approval.uscc, approval, correlationId); // the same decision again (a new event id)
    const task = await waitFor('the task to follow the entrustment', async () => {
      const found = await taskOf(approval.approvalId);
      return found.assignedDepartment === '320700-HOUSING' ? found : undefined;
    });
    expect(await outboxEvents('backbone.supervision.task-assigned.v1', correlationId)).toEqual([
      expect.objectContaining({ assignedDepartment: '320700-APPROVAL' }),
      expect.objectContaining({ assignedDepartment: '320700-HOUSING' }),
    ]);
    expect(task).toMatchObject({
      assignedDepartment: '320700-HOUSING',
      routing: { rule: 'integrated', basis: 'integrated' },
      entrustment: { entrustingDepartment: '320700-HOUSING', agreement: '连住建委〔2026〕3号委托书' },
    });

    const change = (version: number, kind: ApprovalChangedV1['change'], stillSupervised: boolean): ApprovalChangedV1 =>
      Object.assign(new ApprovalChangedV1(), {
        approvalId: approval.approvalId,
        version,
        change: kind,
        uscc: approval.uscc,
        entityName: approval.entityName,
        itemCode: approval.itemCode,
        regionCode: approval.regionCode,
        approverDepartment: approval.approverDepartment,
        kind: 'licence',
        stillSupervised,
        reason: `${kind} by the approver`,
        changedAt: new Date().toISOString(),
      });
    await publish(ApprovalChangedV1, approval.uscc, change(2, 'converted_to_filing', true), correlationId);
    const updated = await waitFor('the task to follow the change', async () => {
      const found = await system.call('supervision', '320700-HOUSING', 'GET', `/tasks/${task.id}`);
      return found.body.approvalVersion === 2 ? found.body : undefined;
    });
    expect(updated).toMatchObject({ status: 'assigned', approvalKind: 'filing', routing: { basis: 'filing' } });
    expect(await outboxEvents('backbone.supervision.task-updated.v1', correlationId)).toEqual([
      expect.objectContaining({ taskId: task.id, approvalVersion: 2, change: expect.stringMatching(/^converted_to_filing/) }),
    ]);

    await publish(ApprovalChangedV1, approval.uscc, change(3, 'cancelled', false), correlationId);
    const closed = await waitFor('the task to close', async () => {
      const found = await system.call('supervision', '320700-HOUSING', 'GET', `/tasks/${task.id}`);
      return found.body.status === 'closed' ? found.body : undefined;
    });
    expect(closed.closed.reason).toMatch(/approval cancelled/);
    expect(await outboxEvents('backbone.supervision.task-closed.v1', correlationId)).toEqual([
      expect.objectContaining({ taskId: task.id, department: '320700-HOUSING' }),
    ]);
    expect((await system.call('supervision', '320700-HOUSING', 'GET', `/tasks?approvalId=${approval.approvalId}`)).body).toHaveLength(1);
    const claim = await system.call('supervision', '320700-HOUSING', 'POST', `/tasks/${task.id}/claim`, { handler: '孙强' });
    expect(claim.status).toBe(409);
    expect(claim.body.code).toBe('ILLEGAL_TASK_TRANSITION');
  });
});
