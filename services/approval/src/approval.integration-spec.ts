import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CaseClosedV1,
  CaseOpenedV1,
  CommitmentVerifiedV1,
  CreditStatusChangedV1,
  Envelope,
  EventClass,
  PenaltyDecidedV1,
  SectorApprovalDecidedV1,
  TaskAssignedV1,
  TaskClaimReminderV1,
  TaskClosedV1,
  TaskEscalatedV1,
  TaskReturnedV1,
  TaskUpdatedV1,
  Topics,
} from '@backbone/contracts';
import { InboxTransport } from '@backbone/messaging';
import { InProcessService, queryPlan, testUscc, waitFor, KEEP_PUBLISHED } from '@backbone/testing';
import { ApprovalConfig, loadApprovalConfig } from './approval.config';
import { APPROVAL_SERVICE, ApprovalModule } from './approval.module';
import { APPLICATION_FACTS } from './approvals/decide-approval/application-facts';
import { EXISTING, EXISTING_WITH_FACTS, openIngestPool } from './approvals/decide-approval/decide-approval.service';
import { keepLoopEvents } from './trail/record-loop-event/record-loop-event';

const KEYS = {
  approver: 'it-key-approval-bureau-320700',
  regulator: 'it-key-market-regulator-320700',
  operator: 'it-key-platform-operations-0001',
} as const;

/**
 * The approval service in process, against real PostgreSQL (its own migrations) and real Kafka: the
 * other services' events are produced onto the test namespace's topics, as they would publish them.
 */
describe('approval service against real Kafka and PostgreSQL', () => {
  let service: InProcessService;
  let dataSource: DataSource;
  let n = Math.floor(Math.random() * 1e8);

  beforeAll(async () => {
    service = await InProcessService.start({
      service: APPROVAL_SERVICE,
      loadConfig: loadApprovalConfig,
      module: (config) => ApprovalModule.forRoot(config),
      clients: { '320700-APPROVAL': KEYS.approver, '320700-SAMR': KEYS.regulator, 'PLATFORM-OPS': KEYS.operator },
      env: {
        CONSUMER_MAX_ATTEMPTS: '3',
        HOLD_ITEMS_DURING_OPEN_CASE: 'FOOD-BUSINESS-LICENCE',
        LICENCE_SWEEP_INTERVAL_MS: '0',
        // Applications posted together leave in one group more surely (ADR 0026).
        INGEST_LINGER_MS: '20',
        ...KEEP_PUBLISHED,
      },
    });
    dataSource = service.dataSource;
  });

  afterAll(async () => {
    await service?.stop();
  });

  const DEPARTMENTS = { approver: '320700-APPROVAL', regulator: '320700-SAMR', operator: 'PLATFORM-OPS' } as const;

  function call<T = any>(key: keyof typeof KEYS, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    return service.call<T>(DEPARTMENTS[key], method, path, body);
  }

  /** Publishes an event as another service would: its envelope on its topic, keyed by the USCC. */
  function produce<T extends object>(eventClass: EventClass<T>, subject: string, data: T, correlationId: string = randomUUID()) {
    return service.publish(eventClass, data, subject, correlationId);
  }

  // A consumed event's trail row is its inbox record (ADR 0031).
  const processed = async (eventId: string) =>
    (await dataSource.query(`SELECT 1 FROM loop_event WHERE event_id = $1`, [eventId])).length === 1;

  const outboxOf = async (correlationId: string): Promise<{ event_type: string; value: Buffer }[]> =>
    dataSource.query(`SELECT event_type, value FROM outbox WHERE correlation_id = $1 ORDER BY id`, [correlationId]);

  function application(overrides: Record<string, unknown> = {}) {
    n += 1;
    return {
      applicationNumber: `IT-${n}`,
      uscc: testUscc(n),
      entityName: '连云港测试食品有限公司',
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind: 'licence',
      outcome: 'granted',
      licenceNumber: `JY${n}`,
      ...overrides,
    };
  }

  async function decide(overrides: Record<string, unknown> = {}) {
    const response = await call('approver', 'POST', '/approvals', application(overrides));
    expect(response.status).toBe(201);
    return response.body;
  }

  function penalty(approval: { id: string; uscc: string }, licenceAction?: PenaltyDecidedV1['licenceAction']): PenaltyDecidedV1 {
    return {
      caseId: randomUUID(),
      decisionId: randomUUID(),
      uscc: approval.uscc,
      approvalId: approval.id,
      department: '320700-SAMR',
      decisionNumber: `连市监罚〔2026〕${Math.floor(Math.random() * 1000)}号`,
      penalties: [{ kind: 'licence_suspension' }],
      ...(licenceAction ? { licenceAction } : {}),
      decidedAt: new Date().toISOString(),
    };
  }

  it('publishes approval decided v2 with delegation and entrustment, and refuses bad ones naming the field', async () => {
    const approval = await decide({
      delegation: { fromRegionCode: '320000', fromDepartment: '320000-APPROVAL' },
      entrustment: { entrustingDepartment: '320700-HEALTH', agreement: '连卫委〔2026〕3号' },
    });
    expect(approval.delegation).toEqual({ fromRegionCode: '320000', fromDepartment: '320000-APPROVAL' });
    const [row] = await outboxOf(approval.correlationId);
    expect(row.event_type).toBe('backbone.approval.decided.v2');
    expect(JSON.parse(row.value.toString()).data).toMatchObject({
      approvalId: approval.id,
      delegation: { fromRegionCode: '320000' },
      entrustment: { entrustingDepartment: '320700-HEALTH' },
    });

    const before = Number((await dataSource.query(`SELECT count(*) AS n FROM approval`))[0].n);
    const bad = await call(
      'approver',
      'POST',
      '/approvals',
      application({ delegation: { fromRegionCode: '32', fromDepartment: 'X' }, entrustment: {} }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'delegation.fromRegionCode', rule: 'matches' }),
        expect.objectContaining({ field: 'entrustment.agreement' }),
      ]),
    );
    expect(Number((await dataSource.query(`SELECT count(*) AS n FROM approval`))[0].n)).toBe(before);
  });

  it('suspends on a penalty (LicenceStatusChangedV1 in the outbox), revokes, and records a late suspension without applying it', async () => {
    const approval = await decide();
    const suspendUntil = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const suspension = await produce(
      PenaltyDecidedV1,
      approval.uscc,
      penalty(approval, { action: 'suspend', until: suspendUntil, reason: '责令停业整顿' }),
      approval.correlationId,
    );
    const suspended = await waitFor('the licence suspended', async () => {
      const found = await call('approver', 'GET', `/approvals/${approval.id}`);
      return found.body.licence.status === 'suspended' ? found.body : undefined;
    });
    expect(new Date(suspended.licence.suspendedUntil).toISOString()).toBe(suspendUntil);
    expect(suspended.licence.transitions).toEqual([
      expect.objectContaining({
        from: 'active',
        to: 'suspended',
        applied: true,
        causeEventId: suspension.id,
        causeEventType: PenaltyDecidedV1.type,
      }),
    ]);
    expect(suspended.feedback.map((row: { kind: string }) => row.kind)).toEqual(['penalty_decided']);
    const changed = (await outboxOf(approval.correlationId)).filter(
      (row) => row.event_type === 'backbone.approval.licence-status-changed.v1',
    );
    expect(changed).toHaveLength(1);
    const changedEnvelope = JSON.parse(changed[0].value.toString());
    expect(changedEnvelope).toMatchObject({
      causationid: suspension.id,
      data: { from: 'active', to: 'suspended', until: suspendUntil, causeEventId: suspension.id },
    });

    const revocation = await produce(
      PenaltyDecidedV1,
      approval.uscc,
      penalty(approval, { action: 'revoke', reason: '吊销许可证' }),
      approval.correlationId,
    );
    await waitFor(
      'the licence revoked',
      async () => (await call('approver', 'GET', `/approvals/${approval.id}`)).body.licence.status === 'revoked',
    );

    // A suspension arriving after the revocation: recorded, not applied, not dead-lettered.
    const late = await produce(
      PenaltyDecidedV1,
      approval.uscc,
      penalty(approval, { action: 'suspend', until: suspendUntil, reason: '迟到的处罚' }),
      approval.correlationId,
    );
    await waitFor('the late suspension processed', () => processed(late.id));
    const after = (await call('approver', 'GET', `/approvals/${approval.id}`)).body;
    expect(after.licence.status).toBe('revoked');
    expect(after.licence.transitions.map((t: { from: string; to: string; applied: boolean }) => [t.from, t.to, t.applied])).toEqual([
      ['active', 'suspended', true],
      ['suspended', 'revoked', true],
      ['revoked', 'suspended', false],
    ]);
    expect(after.feedback.map((row: { kind: string }) => row.kind)).toEqual(['penalty_decided', 'penalty_decided', 'penalty_decided']);
    expect((await dataSource.query(`SELECT count(*) AS n FROM dead_letter`))[0].n).toBe('0');
    expect(
      (await outboxOf(approval.correlationId)).filter((row) => row.event_type === 'backbone.approval.licence-status-changed.v1'),
    ).toHaveLength(2);

    // The trail: every event of the loop, this service's own included, in order. Its own events are
    // kept when written (ADR 0022): the consumer does not read approval's topic back.
    expect(service.app.get(InboxTransport).subscribedTopics()).not.toContain(Topics.ApprovalEvents);
    const trail = await waitFor('the trail to hold all six events', async () => {
      const found = await call('regulator', 'GET', `/approvals/${approval.id}/trail`);
      return found.body.events.length === 6 ? found.body : undefined;
    });
    expect(trail.correlationId).toBe(approval.correlationId);
    expect(trail.events.map((event: { type: string }) => event.type)).toEqual([
      'backbone.approval.decided.v2',
      'backbone.enforcement.penalty-decided.v1',
      'backbone.approval.licence-status-changed.v1',
      'backbone.enforcement.penalty-decided.v1',
      'backbone.approval.licence-status-changed.v1',
      'backbone.enforcement.penalty-decided.v1',
    ]);
    expect(trail.events[1]).toMatchObject({
      id: suspension.id,
      source: '/tests',
      subject: approval.uscc,
      data: { approvalId: approval.id },
    });
    expect(trail.events[2].causationId).toBe(suspension.id);
    expect(trail.events[3].id).toBe(revocation.id);
  });

  it('records a rectification order without changing the licence', async () => {
    const approval = await decide();
    const deadline = new Date(Date.now() + 15 * 86_400_000).toISOString();
    const order = await produce(
      PenaltyDecidedV1,
      approval.uscc,
      penalty(approval, { action: 'rectify', until: deadline, reason: '限期整改' }),
      approval.correlationId,
    );
    await waitFor('the rectification order processed', () => processed(order.id));
    const found = (await call('approver', 'GET', `/approvals/${approval.id}`)).body;
    expect(found.licence).toMatchObject({ status: 'active', transitions: [] });
    expect(new Date(found.licence.rectification.deadline).toISOString()).toBe(deadline);
  });

  it('revokes a commitment-based licence when the verification finds the commitment breached', async () => {
    const approval = await decide({ kind: 'commitment' });
    const verificationId = randomUUID();
    await produce(
      CommitmentVerifiedV1,
      approval.uscc,
      {
        verificationId,
        approvalId: approval.id,
        uscc: approval.uscc,
        itemCode: approval.itemCode,
        department: '320700-SAMR',
        outcome: 'breached',
        findings: '现场核查发现实际经营条件与承诺不符',
        verifiedAt: new Date().toISOString(),
      },
      approval.correlationId,
    );
    const revoked = await waitFor('the licence revoked', async () => {
      const found = await call('approver', 'GET', `/approvals/${approval.id}`);
      return found.body.licence.status === 'revoked' ? found.body : undefined;
    });
    expect(revoked.licence.transitions[0].reason).toContain(verificationId);
    expect(revoked.feedback.map((row: { kind: string }) => row.kind)).toEqual(['commitment_verified']);
    const [changed] = (await outboxOf(approval.correlationId)).filter(
      (row) => row.event_type === 'backbone.approval.licence-status-changed.v1',
    );
    expect(JSON.parse(changed.value.toString()).data).toMatchObject({ from: 'active', to: 'revoked' });
  });

  it('refuses a commitment application of a blacklisted entity, records every check, and lifts the restriction with the list', async () => {
    const blacklistedApplication = application({ kind: 'commitment' });
    const uscc = blacklistedApplication.uscc;
    const listed = await produce(CreditStatusChangedV1, uscc, {
      uscc,
      tier: 'D',
      previousTier: 'B',
      lists: ['serious_dishonesty'],
      measures: ['no_commitment_approval', 'stricter_review'],
      facts: [{ kind: 'list_entry', description: '列入严重失信主体名单' }],
      effectiveAt: new Date(Date.now() - 60_000).toISOString(),
    });
    await waitFor('the credit status applied', () => processed(listed.id));

    const refused = await call('approver', 'POST', '/approvals', blacklistedApplication);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('JOINT_PUNISHMENT_NO_COMMITMENT');
    expect(refused.body.detail).toContain('serious_dishonesty');
    expect(refused.body.detail).toContain('no_commitment_approval');
    expect(await dataSource.query(`SELECT id FROM approval WHERE uscc = $1`, [uscc])).toEqual([]);
    // So is one for an item no hold concerns: its group reads the standing with the earlier approvals (ADR 0129).
    const refusedUnheld = await call('approver', 'POST', '/approvals', {
      ...blacklistedApplication,
      applicationNumber: `${blacklistedApplication.applicationNumber}-D`,
      itemCode: 'DRUG-RETAIL',
    });
    expect(refusedUnheld.status).toBe(422);
    expect(refusedUnheld.body.code).toBe('JOINT_PUNISHMENT_NO_COMMITMENT');
    expect(refusedUnheld.body.detail).toContain('serious_dishonesty');

    // A licence for the same entity is accepted, flagged for stricter review.
    const flagged = await decide({ uscc, applicationNumber: `${blacklistedApplication.applicationNumber}-L`, kind: 'licence' });
    expect(flagged.creditCheck.stricterReview).toBe(true);
    // Turning that licence into a commitment is refused by the same measure.
    const conversion = await call('approver', 'POST', `/approvals/${flagged.id}/conversions`, { to: 'commitment', reason: '改为告知承诺' });
    expect(conversion.status).toBe(422);
    expect(conversion.body.code).toBe('JOINT_PUNISHMENT_NO_COMMITMENT');
    expect((await call('approver', 'GET', `/approvals/${flagged.id}`)).body).toMatchObject({ kind: 'licence', version: 1 });

    // Credit lifts the entity from the list.
    const lifted = await produce(CreditStatusChangedV1, uscc, {
      uscc,
      tier: 'B',
      previousTier: 'D',
      lists: [],
      measures: [],
      facts: [{ kind: 'repair', description: '信用修复完成' }],
      effectiveAt: new Date().toISOString(),
    });
    await waitFor('the lifted status applied', () => processed(lifted.id));
    // An older status arriving late does not restore the restriction.
    const stale = await produce(CreditStatusChangedV1, uscc, {
      uscc,
      tier: 'D',
      lists: ['serious_dishonesty'],
      measures: ['no_commitment_approval'],
      facts: [],
      effectiveAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    await waitFor('the stale status consumed', () => processed(stale.id));

    const accepted = await call('approver', 'POST', '/approvals', blacklistedApplication);
    expect(accepted.status).toBe(201);
    expect(accepted.body.creditCheck.stricterReview).toBe(false);

    // Credit checks are the approving department's records: another department sees none of them.
    expect((await call('regulator', 'GET', `/credit-checks?uscc=${uscc}`)).body).toEqual([]);
    const checks = await call('approver', 'GET', `/credit-checks?uscc=${uscc}`);
    expect(checks.status).toBe(200);
    expect(checks.body.map((check: { result: string; applicationNumber: string }) => [check.result, check.applicationNumber])).toEqual([
      ['accepted', blacklistedApplication.applicationNumber],
      ['refused', `${blacklistedApplication.applicationNumber}-L`],
      ['flagged', `${blacklistedApplication.applicationNumber}-L`],
      ['refused', `${blacklistedApplication.applicationNumber}-D`],
      ['refused', blacklistedApplication.applicationNumber],
    ]);
    expect(checks.body[4]).toMatchObject({
      code: 'JOINT_PUNISHMENT_NO_COMMITMENT',
      tier: 'D',
      lists: ['serious_dishonesty'],
      department: '320700-APPROVAL',
      approvalId: null,
    });
    expect((await call('regulator', 'GET', '/credit-checks?uscc=bad')).status).toBe(400);
  });

  it('holds a new approval while the entity has an open case and releases it when the last case closes', async () => {
    const held = application();
    const uscc = held.uscc;
    const [firstCase, secondCase] = [randomUUID(), randomUUID()];
    for (const caseId of [firstCase, secondCase]) {
      const opened = await produce(CaseOpenedV1, uscc, { caseId, uscc, department: '320700-SAMR', violationCodes: ['FOOD-HYGIENE-01'] });
      await waitFor('the case opened', () => processed(opened.id));
    }
    const stored = await call('approver', 'POST', '/approvals', held);
    expect(stored.status).toBe(201);
    expect(stored.body.publication).toMatchObject({ status: 'held', holdDuringOpenCase: true });
    expect(stored.body.publication.heldReason).toContain(firstCase);
    // Whether holds are configured, and for which items, is stated in /health.
    const health = (await (await fetch(`${service.url}/health`)).json()) as { details: Record<string, unknown> };
    expect(health.details.holds).toEqual({ configured: true, items: ['FOOD-BUSINESS-LICENCE'], setting: 'HOLD_ITEMS_DURING_OPEN_CASE' });
    expect(await outboxOf(stored.body.correlationId)).toEqual([]);
    // An item not configured for holds is published at once.
    const other = await decide({ uscc, applicationNumber: `${held.applicationNumber}-D`, itemCode: 'DRUG-RETAIL' });
    expect(other.publication).toMatchObject({ status: 'published', holdDuringOpenCase: false });

    const listed = await call('approver', 'GET', '/approvals?publication=held');
    expect(listed.body.map((approval: { id: string }) => approval.id)).toContain(stored.body.id);
    const refusedChange = await call('approver', 'POST', `/approvals/${stored.body.id}/renewals`, {
      validUntil: new Date(Date.now() + 400 * 86_400_000).toISOString(),
      reason: '延续',
    });
    expect(refusedChange.status).toBe(409);
    expect(refusedChange.body.code).toBe('APPROVAL_HELD');

    const close = (caseId: string) =>
      produce(CaseClosedV1, uscc, { caseId, uscc, department: '320700-SAMR', outcome: 'executed', closedAt: new Date().toISOString() });
    const firstClosed = await close(firstCase);
    await waitFor('the first case closed', () => processed(firstClosed.id));
    expect((await call('approver', 'GET', `/approvals/${stored.body.id}`)).body.publication.status).toBe('held');

    const lastClosed = await close(secondCase);
    const released = await waitFor('the approval released', async () => {
      const found = await call('approver', 'GET', `/approvals/${stored.body.id}`);
      return found.body.publication.status === 'published' ? found.body : undefined;
    });
    expect(released.publication.releasedAt).not.toBeNull();
    const rows = await outboxOf(stored.body.correlationId);
    expect(rows.map((row) => row.event_type)).toEqual(['backbone.approval.decided.v2']);
    expect(JSON.parse(rows[0].value.toString())).toMatchObject({ causationid: lastClosed.id, data: { approvalId: stored.body.id } });
  });

  it('amends, renews, converts and cancels for the approving department only, bumping the version', async () => {
    const approval = await decide({ validUntil: new Date(Date.now() + 100 * 86_400_000).toISOString() });
    const path = (what: string) => `/approvals/${approval.id}/${what}`;

    const foreign = await call('regulator', 'POST', path('amendments'), { reason: '变更', entityName: '新名称' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('ROLE_REQUIRED'); // not an approving department at all
    expect((await call('approver', 'POST', path('amendments'), { reason: '' })).status).toBe(400);

    const amended = await call('approver', 'POST', path('amendments'), { reason: '企业名称变更', entityName: '连云港新名称食品有限公司' });
    expect(amended.status).toBe(200);
    expect(amended.body).toMatchObject({ version: 2, entityName: '连云港新名称食品有限公司', lastChange: 'amended' });

    const newValidUntil = new Date(Date.now() + 1000 * 86_400_000).toISOString();
    const earlier = await call('approver', 'POST', path('renewals'), {
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
      reason: '延续',
    });
    expect(earlier.status).toBe(422);
    expect(earlier.body.code).toBe('RENEWAL_NOT_LATER');
    const renewed = await call('approver', 'POST', path('renewals'), { validUntil: newValidUntil, reason: '有效期延续' });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ version: 3, lastChange: 'renewed' });
    expect(new Date(renewed.body.validUntil).toISOString()).toBe(newValidUntil);

    const converted = await call('approver', 'POST', path('conversions'), { to: 'filing', reason: '审批改为备案管理' });
    expect(converted.body).toMatchObject({ version: 4, kind: 'filing', lastChange: 'converted_to_filing' });

    const cancelled = await call('approver', 'POST', path('cancellation'), { reason: '申请人申请注销', stillSupervised: true });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ version: 5, lastChange: 'cancelled', stillSupervised: true, licence: { status: 'cancelled' } });

    const again = await call('approver', 'POST', path('cancellation'), { reason: '再次注销', stillSupervised: false });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ILLEGAL_LICENCE_TRANSITION');

    const events = (await outboxOf(approval.correlationId)).map((row) => JSON.parse(row.value.toString()));
    expect(events.map((event) => [event.type, event.data.change ?? event.data.to])).toEqual([
      ['backbone.approval.decided.v2', undefined],
      ['backbone.approval.changed.v1', 'amended'],
      ['backbone.approval.changed.v1', 'renewed'],
      ['backbone.approval.changed.v1', 'converted_to_filing'],
      ['backbone.approval.licence-status-changed.v1', 'cancelled'],
      ['backbone.approval.changed.v1', 'cancelled'],
    ]);
    expect(events[5].data).toMatchObject({ version: 5, stillSupervised: true, reason: '申请人申请注销' });
  });

  it('sweeps on demand: an ended suspension becomes active, an ended validity expired; operators only', async () => {
    const validUntil = new Date(Date.now() + 60 * 86_400_000);
    const approval = await decide({ validUntil: validUntil.toISOString() });
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const suspension = await produce(
      PenaltyDecidedV1,
      approval.uscc,
      penalty(approval, { action: 'suspend', until, reason: '停业整顿' }),
      approval.correlationId,
    );
    await waitFor('the suspension processed', () => processed(suspension.id));

    expect((await call('approver', 'POST', '/admin/licence-sweeps', {})).status).toBe(403);
    expect((await call('operator', 'POST', '/admin/licence-sweeps', { asOf: 'yesterday' })).status).toBe(400);

    const first = await call('operator', 'POST', '/admin/licence-sweeps', { asOf: new Date(Date.now() + 20 * 86_400_000).toISOString() });
    expect(first.status).toBe(200);
    expect(first.body.transitions).toEqual(
      expect.arrayContaining([expect.objectContaining({ approvalId: approval.id, from: 'suspended', to: 'active' })]),
    );
    expect((await call('approver', 'GET', `/approvals/${approval.id}`)).body.licence.status).toBe('active');

    const second = await call('operator', 'POST', '/admin/licence-sweeps', { asOf: new Date(validUntil.getTime() + 1000).toISOString() });
    expect(second.body.transitions).toEqual(
      expect.arrayContaining([expect.objectContaining({ approvalId: approval.id, from: 'active', to: 'expired' })]),
    );
    const expired = (await call('approver', 'GET', `/approvals/${approval.id}`)).body;
    expect(expired.licence.status).toBe('expired');
    expect(expired.licence.transitions.map((t: { to: string }) => t.to)).toEqual(['suspended', 'active', 'expired']);
    const statuses = (await outboxOf(approval.correlationId))
      .filter((row) => row.event_type === 'backbone.approval.licence-status-changed.v1')
      .map((row) => JSON.parse(row.value.toString()).data.to);
    expect(statuses).toEqual(['suspended', 'active', 'expired']);
  });

  it('shows an escalation of an unclaimed task to the approver', async () => {
    const approval = await decide();
    const taskId = randomUUID();
    const claimDeadline = new Date(Date.now() - 86_400_000).toISOString();
    await produce(
      TaskAssignedV1,
      approval.uscc,
      {
        taskId,
        approvalId: approval.id,
        uscc: approval.uscc,
        itemCode: approval.itemCode,
        assignedDepartment: '320700-SAMR',
        routingRule: 'separated',
        claimDeadline,
      },
      approval.correlationId,
    );
    await produce(
      TaskEscalatedV1,
      approval.uscc,
      {
        taskId,
        approvalId: approval.id,
        uscc: approval.uscc,
        assignedDepartment: '320700-SAMR',
        claimDeadline,
        escalatedAt: new Date().toISOString(),
      },
      approval.correlationId,
    );
    const escalated = await waitFor('the escalation seen', async () => {
      const found = await call('approver', 'GET', `/approvals/${approval.id}`);
      return found.body.supervision.status === 'escalated' ? found.body : undefined;
    });
    expect(escalated.supervision).toMatchObject({ department: '320700-SAMR', taskId });
    expect(new Date(escalated.supervision.escalation.claimDeadline).toISOString()).toBe(claimDeadline);
    expect(escalated.feedback.map((row: { kind: string }) => row.kind)).toEqual(['task_assigned', 'task_escalated']);
  });

  it('applies a redelivered task event once; its trail row is its inbox record and its feedback record: no inbox row, no feedback row (ADR 0031)', async () => {
    const approval = await decide();
    const assigned = await produce(
      TaskAssignedV1,
      approval.uscc,
      {
        taskId: randomUUID(),
        approvalId: approval.id,
        uscc: approval.uscc,
        itemCode: approval.itemCode,
        assignedDepartment: '320700-SAMR',
        routingRule: 'separated',
        claimDeadline: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      },
      approval.correlationId,
    );
    // The same envelope again, as after a crash between the inbox commit and the offset commit; then a marker behind it.
    const producer = service.kafka().producer();
    await producer.connect();
    try {
      await producer.send({
        topic: service.topic(Topics.SupervisionEvents),
        messages: [{ key: assigned.subject, value: JSON.stringify(assigned) }],
      });
    } finally {
      await producer.disconnect();
    }
    const marker = await produce(
      TaskEscalatedV1,
      approval.uscc,
      {
        taskId: assigned.data.taskId,
        approvalId: approval.id,
        uscc: approval.uscc,
        assignedDepartment: '320700-SAMR',
        claimDeadline: assigned.data.claimDeadline,
        escalatedAt: new Date().toISOString(),
      },
      approval.correlationId,
    );
    await waitFor('the event behind the repeat processed', () => processed(marker.id));
    const [kept] = await dataSource.query(`SELECT count(*)::int AS n FROM loop_event WHERE event_id = $1`, [assigned.id]);
    expect(kept.n).toBe(1);
    // The assignment's record is its trail row: no feedback row repeats it; the approver's view shows it once.
    const feedback = await dataSource.query(`SELECT kind FROM approval_feedback WHERE approval_id = $1 ORDER BY id`, [approval.id]);
    expect(feedback.map((row: { kind: string }) => row.kind)).toEqual(['task_escalated']);
    const shown = (await call('approver', 'GET', `/approvals/${approval.id}`)).body.feedback;
    expect(shown.map((row: { kind: string; eventId: string }) => [row.kind, row.eventId])).toEqual([
      ['task_assigned', assigned.id],
      ['task_escalated', marker.id],
    ]);
    expect(shown[0].detail).toEqual(assigned.data);
    // A feedback row written before the trail became the record (the same event in both, one transaction) is shown once.
    await dataSource.query(
      `INSERT INTO approval_feedback (approval_id, kind, event_id, detail, received_at)
       SELECT $1, 'task_assigned', event_id, data, received_at FROM loop_event WHERE event_id = $2`,
      [approval.id, assigned.id],
    );
    const again = (await call('approver', 'GET', `/approvals/${approval.id}`)).body.feedback;
    expect(again.map((row: { kind: string; eventId: string }) => [row.kind, row.eventId])).toEqual([
      ['task_assigned', assigned.id],
      ['task_escalated', marker.id],
    ]);
    const [inbox] = await dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1)`, [[assigned.id, marker.id]]);
    expect(inbox.n).toBe(0);
  });

  it('records a returned, re-routed, reminded, updated and closed task as feedback and supervision status', async () => {
    const approval = await decide();
    const [firstTask, secondTask] = [randomUUID(), randomUUID()];
    const claimDeadline = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const base = { approvalId: approval.id, uscc: approval.uscc };
    const send = <T extends object>(eventClass: EventClass<T>, data: T) => produce(eventClass, approval.uscc, data, approval.correlationId);
    const statusAfter = async (eventId: string) => {
      await waitFor('the event processed', () => processed(eventId));
      return (await call('approver', 'GET', `/approvals/${approval.id}`)).body;
    };

    await send(TaskAssignedV1, {
      ...base,
      taskId: firstTask,
      itemCode: approval.itemCode,
      assignedDepartment: '320700-HEALTH',
      routingRule: 'separated',
      claimDeadline,
    });
    const returned = await send(TaskReturnedV1, {
      ...base,
      taskId: firstTask,
      department: '320700-HEALTH',
      reason: '不属于本部门监管职责',
      returnedAt: new Date().toISOString(),
    });
    expect(await statusAfter(returned.id)).toMatchObject({
      supervision: { status: 'returned', returnedReason: '320700-HEALTH: 不属于本部门监管职责' },
    });

    const reassigned = await send(TaskAssignedV1, {
      ...base,
      taskId: secondTask,
      itemCode: approval.itemCode,
      assignedDepartment: '320700-SAMR',
      routingRule: 'separated',
      claimDeadline,
    });
    expect(await statusAfter(reassigned.id)).toMatchObject({
      supervision: { status: 'assigned', department: '320700-SAMR', taskId: secondTask },
    });

    // The approver shows the reminder's own time, not when the event happened to arrive.
    const remindedAt = '2026-06-02T00:00:05.000Z';
    const reminder = await send(TaskClaimReminderV1, {
      ...base,
      taskId: secondTask,
      assignedDepartment: '320700-SAMR',
      claimDeadline,
      remindedAt,
    });
    expect((await statusAfter(reminder.id)).supervision.claimRemindedAt).toBe(remindedAt);

    const updated = await send(TaskUpdatedV1, {
      ...base,
      taskId: secondTask,
      approvalVersion: 2,
      assignedDepartment: '320700-SAMR',
      change: 'amended',
      updatedAt: new Date().toISOString(),
    });
    await statusAfter(updated.id);

    const closed = await send(TaskClosedV1, {
      ...base,
      taskId: secondTask,
      department: '320700-SAMR',
      reason: '审批已注销，无需继续监管',
      closedAt: new Date().toISOString(),
    });
    const final = await statusAfter(closed.id);
    expect(final.supervision).toMatchObject({ status: 'closed', closedReason: '320700-SAMR: 审批已注销，无需继续监管' });
    expect(final.feedback.map((row: { kind: string }) => row.kind)).toEqual([
      'task_assigned',
      'task_returned',
      'task_assigned',
      'task_claim_reminder',
      'task_updated',
      'task_closed',
    ]);
  });

  it("probes the ingest's lookups by index in the plan a prepared statement keeps, however small the tables were when it was planned (ADR 0080)", async () => {
    // A prepared statement is planned once for any parameters (a generic plan) and keeps that plan. Asked
    // while these tables are small, as here, a plan that scans them whole looks cheapest, and would then
    // be kept while they grow to millions of rows.
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query(`SET plan_cache_mode = force_generic_plan`);
      const planOf = async (name: string, text: string, types: string, values: string) => {
        await runner.query(`PREPARE ${name}(${types}) AS ${text}`);
        const plan = await queryPlan(runner, `EXECUTE ${name}(${values})`);
        await runner.query(`DEALLOCATE ${name}`);
        return plan;
      };
      const existing = await planOf('plan_existing', EXISTING.text, 'text[], text[]', `'{320700-APPROVAL}', '{IT-1}'`);
      expect(existing).toContain('Index Scan using approval_application on approval');
      expect(existing).not.toContain('Seq Scan on approval');
      const facts = await planOf(
        'plan_facts',
        APPLICATION_FACTS.text,
        'text[], text[], boolean[], timestamptz',
        `'{${testUscc(1)}}', '{FOOD-BUSINESS-LICENCE}', '{true}', now()`,
      );
      for (const table of ['credit_standing', 'red_list_standing', 'enforcement_case_projection']) {
        expect(facts).toMatch(new RegExp(`Index Scan using \\w+ on ${table}`));
        expect(facts).not.toContain(`Seq Scan on ${table}`);
      }
      // Both in one statement, for a group that no hold concerns (ADR 0129): no open cases read at all.
      const both = await planOf(
        'plan_existing_with_facts',
        EXISTING_WITH_FACTS.text,
        'text[], text[], text[], text[], timestamptz',
        `'{320700-APPROVAL}', '{IT-1}', '{${testUscc(1)}}', '{FOOD-BUSINESS-LICENCE}', now()`,
      );
      expect(both).toContain('Index Scan using approval_application on approval');
      for (const table of ['approval', 'credit_standing', 'red_list_standing', 'enforcement_case_projection']) {
        expect(both).not.toContain(`Seq Scan on ${table}`);
      }
      for (const table of ['credit_standing', 'red_list_standing']) expect(both).toMatch(new RegExp(`Index Scan using \\w+ on ${table}`));
      expect(both).not.toContain('enforcement_case_projection');
    } finally {
      await runner.query(`RESET plan_cache_mode`).catch(() => undefined);
      await runner.release();
    }
  });

  it("plans the ingest's statements once per connection, not again for every group (ADR 0097)", async () => {
    // PostgreSQL plans a prepared statement's first five executions for their parameters; after that it
    // may keep doing so for every group, which cost more than executing the lookups. The ingest's
    // connections take the generic plan from the first execution on.
    const pool = openIngestPool(service.app.get(ApprovalConfig), new Logger('ingest pool spec'));
    try {
      const client = await pool.connect();
      try {
        for (let i = 1; i <= 8; i++) {
          const keys = Array.from({ length: 1 + (i % 3) }, (_, k) => `PLAN-${n}-${i}-${k}`);
          await client.query({ ...EXISTING, values: [keys.map(() => '320700-APPROVAL'), keys] });
          await client.query({
            ...APPLICATION_FACTS,
            values: [keys.map((_, k) => testUscc(k + 1)), keys.map(() => 'FOOD-BUSINESS-LICENCE'), keys.map(() => true), new Date()],
          });
          await client.query({
            ...EXISTING_WITH_FACTS,
            values: [
              keys.map(() => '320700-APPROVAL'),
              keys,
              keys.map((_, k) => testUscc(k + 1)),
              keys.map(() => 'FOOD-BUSINESS-LICENCE'),
              new Date(),
            ],
          });
        }
        const { rows } = await client.query(
          `SELECT name, generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements ORDER BY name`,
        );
        expect(rows).toEqual([
          { name: APPLICATION_FACTS.name, generic: 8, custom: 0 },
          { name: EXISTING.name, generic: 8, custom: 0 },
          { name: EXISTING_WITH_FACTS.name, generic: 8, custom: 0 },
        ]);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('answers a repeated application number with other particulars with 409 naming the fields, writing nothing', async () => {
    const first = application();
    expect((await call('approver', 'POST', '/approvals', first)).status).toBe(201);
    const repeat = await call('approver', 'POST', '/approvals', { ...first });
    expect(repeat.status).toBe(200);
    const conflict = await call('approver', 'POST', '/approvals', { ...first, entityName: '另一家公司', itemCode: 'DRUG-RETAIL' });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ code: 'APPLICATION_NUMBER_CONFLICT', details: { fields: ['itemCode', 'entityName'] } });
    const rows = await dataSource.query(`SELECT count(*)::int AS n FROM approval WHERE application_number = $1`, [first.applicationNumber]);
    expect(rows[0].n).toBe(1);
  });

  it('answers every application of a group on its own: new ones 201, a repeat 200, other particulars 409, a twin posted at once 200', async () => {
    const earlier = application();
    expect((await call('approver', 'POST', '/approvals', earlier)).status).toBe(201);
    const fresh = Array.from({ length: 8 }, (_, i) => application(i % 2 === 0 ? { itemCode: 'DRUG-RETAIL' } : { outcome: 'refused' }));
    const twin = application({ itemCode: 'DRUG-RETAIL' });
    const bodies = [
      ...fresh,
      { ...earlier },
      { ...earlier, entityName: '另一家公司' },
      twin,
      { ...twin },
      { ...application(), uscc: 'bad' },
    ];
    const answers = await Promise.all(bodies.map((body) => call('approver', 'POST', '/approvals', body)));
    expect(answers.map((answer) => answer.status)).toEqual([
      ...fresh.map(() => 201),
      200,
      409,
      ...(answers[10].status === 201 ? [201, 200] : [200, 201]),
      400,
    ]);
    expect(answers[9].body).toMatchObject({ code: 'APPLICATION_NUMBER_CONFLICT', details: { fields: ['entityName'] } });
    expect(answers[8].body.id).toBe((await call('approver', 'GET', `/approvals/${answers[8].body.id}`)).body.id);
    expect(answers[10].body.id).toBe(answers[11].body.id);
    fresh.forEach((body, i) => expect(answers[i].body).toMatchObject({ applicationNumber: body.applicationNumber, outcome: body.outcome }));

    // Written once each: the approval, its credit check, its decided event in the outbox and in the trail.
    const numbers = [...fresh, twin].map((body) => body.applicationNumber);
    const [written] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM approval WHERE application_number = ANY($1)) AS approvals,
              (SELECT count(*)::int FROM credit_check WHERE application_number = ANY($1)) AS checks,
              (SELECT count(*)::int FROM outbox o JOIN approval a ON o.correlation_id = a.correlation_id::text
                WHERE a.application_number = ANY($1) AND o.event_type = 'backbone.approval.decided.v2') AS events,
              (SELECT count(*)::int FROM loop_event l JOIN approval a ON l.correlation_id = a.correlation_id::text
                WHERE a.application_number = ANY($1)) AS trail`,
      [numbers],
    );
    expect(written).toEqual({ approvals: 9, checks: 9, events: 9, trail: 9 });
    const [event] = await dataSource.query(
      `SELECT o.headers, convert_from(o.value, 'UTF8')::jsonb AS envelope FROM outbox o JOIN approval a ON o.correlation_id = a.correlation_id::text
        WHERE a.application_number = $1`,
      [twin.applicationNumber],
    );
    expect(event.headers).toEqual({
      'content-type': 'application/cloudevents+json',
      ce_type: 'backbone.approval.decided.v2',
      ce_id: event.envelope.id,
    });
    // The trail row is read from the same bytes as the outbox's (ADR 0092).
    const [trailed] = await dataSource.query(
      `SELECT type, source, subject, correlation_id, data, time = $2::timestamptz AS same_time FROM loop_event WHERE event_id = $1`,
      [event.envelope.id, event.envelope.time],
    );
    expect(trailed).toEqual({
      type: 'backbone.approval.decided.v2',
      source: event.envelope.source,
      subject: event.envelope.subject,
      correlation_id: event.envelope.correlationid,
      data: event.envelope.data,
      same_time: true,
    });
    const [again] = await dataSource.query(`SELECT count(*)::int AS n FROM approval WHERE application_number = $1`, [
      earlier.applicationNumber,
    ]);
    expect(again.n).toBe(1);
  });

  /** POST /approvals as the approver, with an Idempotency-Key. */
  const post = (body: unknown, key: string) =>
    fetch(`${service.url}/approvals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEYS.approver, 'idempotency-key': key },
      body: JSON.stringify(body),
    });

  it('replays the first response for a repeated Idempotency-Key, and refuses the key with another body (422)', async () => {
    const key = `idem-${randomUUID()}`;
    // A refused request keeps no key: nothing was written, a corrected retry runs.
    const invalid = await post({ ...application(), uscc: 'bad' }, key);
    expect(invalid.status).toBe(400);
    const body = application();
    const first = await post(body, key);
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const replay = await post(body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotency-replayed')).toBe('true');
    expect(await replay.json()).toEqual(firstBody);
    const other = await post(application(), key);
    expect(other.status).toBe(422);
    expect(((await other.json()) as { code: string }).code).toBe('IDEMPOTENCY_KEY_REUSED');
    const rows = await dataSource.query(`SELECT count(*)::int AS n FROM approval WHERE application_number = $1`, [body.applicationNumber]);
    expect(rows[0].n).toBe(1);
    expect((await post(body, 'bad key with spaces')).status).toBe(400);
  });

  it('settles the key before the answer leaves: a retry sent the moment an answer arrives never meets "still being processed"', async () => {
    const answers: string[] = [];
    for (let round = 0; round < 25; round++) {
      const key = `idem-${randomUUID()}`;
      const body = application();
      const refused = await post({ ...body, uscc: 'bad' }, key);
      const corrected = await post(body, key);
      const replayed = await post(body, key);
      answers.push(`${refused.status} ${corrected.status} ${replayed.status} ${replayed.headers.get('idempotency-replayed')}`);
    }
    expect(answers).toEqual(Array(25).fill('400 201 201 true'));
  });

  it('records an approval a sector system posted at the intake as an approval of its department, once, and dead-letters a sender that is no approver', async () => {
    const decided = (overrides: Partial<SectorApprovalDecidedV1> = {}): SectorApprovalDecidedV1 => {
      const { applicationNumber, uscc, entityName, itemCode, regionCode } = application();
      return {
        applicationNumber: `SECTOR-${applicationNumber}`,
        uscc,
        entityName,
        itemCode,
        regionCode,
        approverDepartment: '320700-HEALTH',
        kind: 'licence',
        outcome: 'granted',
        licenceNumber: 'WS-2026-0001',
        decidedAt: '2026-11-30T09:30:00+08:00',
        ...overrides,
      };
    };
    const event = decided();
    const intakeCorrelation = randomUUID();
    const first = await produce(SectorApprovalDecidedV1, event.uscc, event, intakeCorrelation);
    const again = await produce(SectorApprovalDecidedV1, event.uscc, event);
    await waitFor('both deliveries processed', async () => (await processed(first.id)) && (await processed(again.id)));
    const rows = await dataSource.query(
      `SELECT approver_department AS department, outcome, licence_number AS "licenceNumber" FROM approval WHERE application_number = $1`,
      [event.applicationNumber],
    );
    expect(rows).toEqual([{ department: '320700-HEALTH', outcome: 'granted', licenceNumber: 'WS-2026-0001' }]);
    // announced like any approval, continuing the intake event's correlation, with that event as its cause
    const announced = await dataSource.query(`SELECT event_type, correlation_id, headers FROM outbox WHERE message_key = $1`, [event.uscc]);
    expect(announced.map((row: { event_type: string }) => row.event_type)).toContain('backbone.approval.decided.v2');
    const [approval] = await dataSource.query(`SELECT correlation_id FROM approval WHERE application_number = $1`, [
      event.applicationNumber,
    ]);
    expect(approval.correlation_id).toBe(intakeCorrelation);
    const decidedRow = announced.find((row: { event_type: string }) => row.event_type === 'backbone.approval.decided.v2');
    expect(decidedRow.correlation_id).toBe(intakeCorrelation);
    const [trail] = await dataSource.query(
      `SELECT causation_id FROM loop_event WHERE type = 'backbone.approval.decided.v2' AND subject = $1`,
      [event.uscc],
    );
    expect(trail.causation_id).toBe(first.id);
    // a sender's own correlation token that is no UUID: the approval is recorded under a loop of its own
    const tokened = decided();
    const byToken = await produce(SectorApprovalDecidedV1, tokened.uscc, tokened, 'HEALTH-TICKET-42');
    await waitFor('the tokened delivery processed', () => processed(byToken.id));
    const [own] = await dataSource.query(`SELECT correlation_id FROM approval WHERE application_number = $1`, [tokened.applicationNumber]);
    expect(own.correlation_id).toMatch(/^[0-9a-f-]{36}$/);

    const stranger = decided({ approverDepartment: '320700-SAMR' });
    await produce(SectorApprovalDecidedV1, stranger.uscc, stranger);
    const dead = await waitFor('the dead letter of a sender that is no approver', async () => {
      const found = await dataSource.query(`SELECT reason FROM dead_letter WHERE position(convert_to($1, 'UTF8') in value) > 0`, [
        stranger.applicationNumber,
      ]);
      return found[0] as { reason: string } | undefined;
    });
    expect(dead.reason).toContain('SENDER_NOT_APPROVER: approverDepartment: 320700-SAMR is not one of APPROVER_DEPARTMENTS');
    expect(await dataSource.query(`SELECT 1 FROM approval WHERE application_number = $1`, [stranger.applicationNumber])).toEqual([]);
  });

  it('keeps events in the trail from one JSON parameter: in their order, their data as sent, a missing cause as null, a repeat not kept again (ADR 0111)', async () => {
    const correlationId = randomUUID();
    const envelope = (type: string, data: unknown, causationid?: string): Envelope => ({
      specversion: '1.0',
      id: randomUUID(),
      source: '/services/supervision',
      type,
      subject: testUscc(++n),
      time: new Date(Date.UTC(2026, 11, 3, 9, 19, 23, n % 1000)).toISOString(),
      datacontenttype: 'application/json',
      correlationid: correlationId,
      ...(causationid ? { causationid } : {}),
      data,
    });
    // What an array literal had to escape, and what JSON must carry as it is.
    const awkward = {
      note: 'a "quoted" word, a back\\slash \\" and a line\nbreak, {braces}, commas, NULL',
      name: '食品经营许可 ✓',
      list: [1, 'two', null],
    };
    const events = [
      envelope('backbone.supervision.task-assigned.v1', awkward, randomUUID()),
      envelope('backbone.supervision.task-claimed.v1', { handler: 'NULL', empty: '' }),
      envelope('backbone.supervision.task-updated.v1', { nested: { deeper: [{ x: 1.5 }] } }, randomUUID()),
    ];
    expect(await keepLoopEvents(dataSource.manager, events)).toEqual(events.map((event) => event.id));
    const rows: Array<Record<string, unknown>> = await dataSource.query(
      `SELECT event_id, type, source, subject, time, correlation_id, causation_id, data FROM loop_event WHERE correlation_id = $1 ORDER BY arrival`,
      [correlationId],
    );
    expect(rows).toEqual(
      events.map((event) => ({
        event_id: event.id,
        type: event.type,
        source: event.source,
        subject: event.subject,
        time: new Date(event.time),
        correlation_id: correlationId,
        causation_id: event.causationid ?? null,
        data: event.data,
      })),
    );
    // A redelivery beside a new event: only the new one is kept, and only its id comes back.
    const later = envelope('backbone.supervision.task-closed.v1', { reason: 'done' });
    expect(await keepLoopEvents(dataSource.manager, [events[1], later])).toEqual([later.id]);
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM loop_event WHERE correlation_id = $1`, [correlationId]);
    expect(count).toBe(4);
  });
});
