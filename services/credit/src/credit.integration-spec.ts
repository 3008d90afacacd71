import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  CaseClosedV1,
  ComplaintRegisteredV1,
  CommitmentVerifiedV1,
  createEnvelope,
  CreditStatusChangedV1,
  EventClass,
  InspectionRecordedV1,
  CreditRedListChangedV1,
  CreditRepairApprovedV1,
  LicenceStatusChangedV1,
  PenaltyDecidedV1,
  Topics,
} from '@backbone/contracts';
import { InProcessService, testUscc, waitFor, KEEP_PUBLISHED } from '@backbone/testing';
import { loadCreditConfig } from './credit.config';
import { CREDIT_SERVICE, CreditModule } from './credit.module';

const AUTHORITY = '320700-CREDIT';
const SAMR = '320700-SAMR';
const AUTHORITY_KEY = 'test-key-credit-authority-320700';
const SAMR_KEY = 'test-key-market-regulator-320700';
const OPS = 'PLATFORM-OPS';
const OPS_KEY = 'test-key-platform-ops';
/** Two market entities with credentials of their own (ENTITY-<USCC>). */
const ENTITY_A = testUscc(4_100_090);
const ENTITY_B = testUscc(4_100_091);

/**
 * The credit service in process against real PostgreSQL (fresh database, real migrations) and real
 * Kafka (own namespace): events in through the inbox, REST decisions, CreditStatusChangedV1 out
 * through the outbox.
 */
describe('credit service against real Kafka and PostgreSQL', () => {
  let service: InProcessService;
  let dataSource: DataSource;

  beforeAll(async () => {
    service = await InProcessService.start({
      service: CREDIT_SERVICE,
      loadConfig: loadCreditConfig,
      module: (config) => CreditModule.forRoot(config),
      clients: {
        [AUTHORITY]: AUTHORITY_KEY,
        [SAMR]: SAMR_KEY,
        [OPS]: OPS_KEY,
        [`ENTITY-${ENTITY_A}`]: 'test-key-entity-a-own-credential',
        [`ENTITY-${ENTITY_B}`]: 'test-key-entity-b-own-credential',
      },
      env: { CREDIT_AUTHORITY_DEPARTMENTS: AUTHORITY, OPERATOR_DEPARTMENTS: OPS, CREDIT_REFRESH_INTERVAL_MS: '0', ...KEEP_PUBLISHED },
    });
    dataSource = service.dataSource;
  });

  afterAll(async () => {
    await service?.stop();
  });

  function publish<T extends object>(eventClass: EventClass<T>, data: T & { uscc: string }) {
    return service.publish(eventClass, data, data.uscc);
  }

  function call(method: string, path: string, key?: string, body?: unknown): Promise<{ status: number; body: any }> {
    return service.call(key === AUTHORITY_KEY ? AUTHORITY : key === SAMR_KEY ? SAMR : key === OPS_KEY ? OPS : null, method, path, body);
  }

  const full = (uscc: string, asOf?: string) =>
    call('GET', `/credit-records/${uscc}/full${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`, SAMR_KEY);

  async function statusEvents(uscc: string): Promise<CreditStatusChangedV1[]> {
    const rows: Array<{ value: Buffer }> = await dataSource.query(
      `SELECT value FROM outbox WHERE event_type = $1 AND message_key = $2 ORDER BY id`,
      [CreditStatusChangedV1.type, uscc],
    );
    return rows.map((row) => JSON.parse(row.value.toString()).data as CreditStatusChangedV1);
  }

  function penalty(uscc: string, penalties: PenaltyDecidedV1['penalties'], decidedAt = new Date()): PenaltyDecidedV1 {
    return {
      caseId: randomUUID(),
      decisionId: randomUUID(),
      uscc,
      department: '320700-SAMR',
      decisionNumber: `连市监罚〔2026〕${Math.floor(Math.random() * 1000)}号`,
      penalties,
      decidedAt: decidedAt.toISOString(),
    };
  }

  const monthsAgo = (months: number) => new Date(Date.now() - months * 31 * 86_400_000);

  it('a revocation penalty puts the entity on the serious-dishonesty list at tier D and publishes the measures', async () => {
    const uscc = testUscc(4_100_001);
    await publish(PenaltyDecidedV1, penalty(uscc, [{ kind: 'licence_revocation' }]));
    const [event] = await waitFor('CreditStatusChangedV1 in the outbox', async () => {
      const events = await statusEvents(uscc);
      return events.length === 1 ? events : undefined;
    });
    expect(event).toMatchObject({
      uscc,
      tier: 'D',
      previousTier: 'A',
      lists: ['serious_dishonesty'],
      measures: ['higher_inspection_ratio', 'no_commitment_approval', 'no_public_funding', 'stricter_review'],
    });
    expect(event.facts.map((fact) => fact.kind)).toEqual(['list_entry', 'penalty']);

    const record = await full(uscc);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ tier: 'D', lists: ['serious_dishonesty'] });
    expect(record.body.entries.map((entry: { kind: string }) => entry.kind)).toEqual(['penalty', 'list_entry']);

    const published = await call('GET', `/credit-records/${uscc}`);
    expect(published.status).toBe(200);
    expect(published.body.penalties).toHaveLength(1);
    expect(published.body.lists).toEqual(['serious_dishonesty']);
    expect(published.body.listEntries).toEqual([expect.objectContaining({ list: 'serious_dishonesty' })]);
    expect(published.body.tier).toBeUndefined();
  });

  it('refuses a repair decision while a condition is unmet, naming it; approves it once met: list exit, tier recomputed, event emitted', async () => {
    const uscc = testUscc(4_100_002);
    // Revoked 13 months ago (past the 12-month minimum on the serious-dishonesty list).
    const revocation = penalty(uscc, [{ kind: 'licence_revocation' }], monthsAgo(13));
    await publish(PenaltyDecidedV1, revocation);
    const listed = await waitFor('the list entry', async () => {
      const record = await full(uscc);
      return record.body.listEntries?.length === 1 ? record.body : undefined;
    });
    const listEntryId: string = listed.listEntries[0].entryId;

    const badBody = await call('POST', `/credit-records/${uscc}/repairs`, SAMR_KEY, { entryId: 'x', reason: '' });
    expect(badBody.status).toBe(400);
    expect(badBody.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['entryId', 'reason']);

    const withoutEvidence = await call('POST', `/credit-records/${uscc}/repairs`, SAMR_KEY, {
      entryId: listEntryId,
      reason: '已整改',
      commitment: '信用承诺书',
    });
    expect(withoutEvidence.status).toBe(201);
    expect(withoutEvidence.body.status).toBe('pending');

    const notAuthority = await call('POST', `/credit-repairs/${withoutEvidence.body.id}/decision`, SAMR_KEY, {
      decision: 'approve',
      note: '同意',
    });
    expect(notAuthority.status).toBe(403);
    expect(notAuthority.body.code).toBe('ROLE_REQUIRED');

    const refused = await call('POST', `/credit-repairs/${withoutEvidence.body.id}/decision`, AUTHORITY_KEY, {
      decision: 'approve',
      note: '同意',
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'REPAIR_CONDITION_UNMET',
      details: { conditions: [{ condition: 'rectification_evidence' }] },
    });
    expect((await full(uscc)).body.tier).toBe('D');

    const rejected = await call('POST', `/credit-repairs/${withoutEvidence.body.id}/decision`, AUTHORITY_KEY, {
      decision: 'reject',
      note: '缺少整改材料',
    });
    expect(rejected.body.status).toBe('rejected');

    const application = await call('POST', `/credit-records/${uscc}/repairs`, SAMR_KEY, {
      entryId: listEntryId,
      reason: '已整改',
      rectificationEvidence: '整改报告及验收意见',
      commitment: '信用承诺书',
    });
    expect(application.status).toBe(201);
    const approved = await call('POST', `/credit-repairs/${application.body.id}/decision`, AUTHORITY_KEY, {
      decision: 'approve',
      note: '整改到位',
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', decidedBy: '320700-CREDIT' });
    expect((await call('GET', `/credit-repairs/${application.body.id}`, SAMR_KEY)).body.status).toBe('approved');

    const again = await call('POST', `/credit-repairs/${application.body.id}/decision`, AUTHORITY_KEY, {
      decision: 'reject',
      note: '再议',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('REPAIR_ALREADY_DECIDED');

    const record = (await full(uscc)).body;
    expect(record).toMatchObject({ tier: 'A', lists: [], measures: [] });
    expect(record.entries.map((entry: { kind: string }) => entry.kind)).toEqual(['penalty', 'list_entry', 'repair', 'list_exit']);
    expect(record.repairs.map((repair: { status: string }) => repair.status)).toEqual(['rejected', 'approved']);

    const events = await statusEvents(uscc);
    expect(events.map((event) => [event.previousTier, event.tier, event.lists])).toEqual([
      ['A', 'D', ['serious_dishonesty']],
      ['D', 'A', []],
    ]);
    // Enforcement is told which entries the repair covered: the list entry and the penalty that caused it, with its case.
    const [repairEvent] = await dataSource.query(`SELECT value FROM outbox WHERE event_type = $1 AND message_key = $2`, [
      CreditRepairApprovedV1.type,
      uscc,
    ]);
    const repairData = JSON.parse(repairEvent.value.toString()).data as CreditRepairApprovedV1;
    expect(repairData).toMatchObject({ repairId: application.body.id, uscc, entryId: listEntryId, decidedBy: '320700-CREDIT' });
    expect(repairData.repaired).toEqual(
      expect.arrayContaining([
        { entryId: listEntryId, kind: 'list_entry' },
        expect.objectContaining({ kind: 'penalty', caseId: revocation.caseId, decisionNumber: revocation.decisionNumber }),
      ]),
    );
    expect(repairData.repaired).toHaveLength(2);
    // As of a day before the repair, the record held the list entry.
    const before = (await full(uscc, new Date(Date.now() - 86_400_000).toISOString())).body;
    expect(before).toMatchObject({ tier: 'D', lists: ['serious_dishonesty'] });
    // The repaired penalty is no longer published.
    expect((await call('GET', `/credit-records/${uscc}`)).body).toMatchObject({ penalties: [], lists: [] });
  });

  it('lets an entity act for itself with its own credential, for its own USCC only: repair, evidence, objection', async () => {
    const asA = (method: string, path: string, body?: unknown) => service.call(`ENTITY-${ENTITY_A}`, method, path, body);
    const asB = (method: string, path: string, body?: unknown) => service.call(`ENTITY-${ENTITY_B}`, method, path, body);
    // A fine decided 13 months ago (past the minimum publication period of a fact).
    await publish(PenaltyDecidedV1, penalty(ENTITY_A, [{ kind: 'fine', amount: 20_000 }], monthsAgo(13)));
    const entryId: string = await waitFor('the penalty in the record', async () => {
      const record = (await full(ENTITY_A)).body;
      return record.penalties?.length === 1 ? String(record.penalties[0].id) : undefined;
    });

    // The entity files its own application, incomplete (no evidence, no commitment).
    const filed = await asA('POST', `/credit-records/${ENTITY_A}/repairs`, { entryId, reason: '已整改' });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ uscc: ENTITY_A, applicantDepartment: `ENTITY-${ENTITY_A}`, status: 'pending', supplements: [] });
    const repairId: string = filed.body.id;
    expect((await asA('POST', `/credit-records/${ENTITY_A}/repairs`, { entryId, reason: '再次申请' })).body.code).toBe(
      'REPAIR_ALREADY_PENDING',
    );

    // Another entity's credential reaches none of it: refused for A's USCC, not found by id, and no agency route.
    expect(await asB('POST', `/credit-records/${ENTITY_A}/repairs`, { entryId, reason: '冒名' })).toMatchObject({
      status: 403,
      body: { code: 'NOT_OWN_ENTITY' },
    });
    expect(await asB('POST', `/credit-records/${ENTITY_A}/objections`, { entryId, grounds: '冒名异议' })).toMatchObject({
      status: 403,
      body: { code: 'NOT_OWN_ENTITY' },
    });
    expect((await asB('GET', `/credit-repairs/${repairId}`)).status).toBe(404);
    expect((await asB('POST', `/credit-repairs/${repairId}/evidence`, { commitment: '冒名承诺' })).status).toBe(404);
    expect(await asB('GET', `/credit-records/${ENTITY_A}/full`)).toMatchObject({
      status: 403,
      body: { code: 'ENTITY_CREDENTIAL_NOT_ALLOWED' },
    });
    expect(await asA('POST', `/credit-repairs/${repairId}/decision`, { decision: 'approve', note: '自批' })).toMatchObject({
      status: 403,
      body: { code: 'ENTITY_CREDENTIAL_NOT_ALLOWED' },
    });

    // The entity completes its application instead of waiting for a rejection.
    expect(await asA('POST', `/credit-repairs/${repairId}/evidence`, {})).toMatchObject({
      status: 422,
      body: { code: 'EVIDENCE_REQUIRED' },
    });
    const refused = await call('POST', `/credit-repairs/${repairId}/decision`, AUTHORITY_KEY, { decision: 'approve', note: '材料不全' });
    expect(refused.body.code).toBe('REPAIR_CONDITION_UNMET');
    const completed = await asA('POST', `/credit-repairs/${repairId}/evidence`, { rectificationEvidence: '整改报告及复查意见' });
    expect(completed.status).toBe(200);
    const committed = await asA('POST', `/credit-repairs/${repairId}/evidence`, { commitment: '信用承诺书' });
    expect(committed.body).toMatchObject({ rectificationEvidence: '整改报告及复查意见', commitment: '信用承诺书', status: 'pending' });
    expect(committed.body.supplements).toEqual([
      expect.objectContaining({ addedBy: `ENTITY-${ENTITY_A}`, rectificationEvidence: '整改报告及复查意见' }),
      expect.objectContaining({ addedBy: `ENTITY-${ENTITY_A}`, commitment: '信用承诺书' }),
    ]);
    expect((await asA('GET', `/credit-repairs/${repairId}`)).body.status).toBe('pending');

    // The entity objects to an entry of its own, and reads its objection; the other entity cannot.
    const objection = await asA('POST', `/credit-records/${ENTITY_A}/objections`, { entryId, grounds: '罚款金额记录有误' });
    expect(objection.status).toBe(201);
    expect(objection.body).toMatchObject({ uscc: ENTITY_A, raisedBy: `ENTITY-${ENTITY_A}` });
    expect((await asA('GET', `/credit-objections/${objection.body.id}`)).status).toBe(200);
    expect((await asB('GET', `/credit-objections/${objection.body.id}`)).status).toBe(404);

    // The credit authority approves the completed application; no evidence is added after the decision.
    expect(
      (await call('POST', `/credit-repairs/${repairId}/decision`, AUTHORITY_KEY, { decision: 'approve', note: '整改到位' })).status,
    ).toBe(200);
    expect(await asA('POST', `/credit-repairs/${repairId}/evidence`, { commitment: '补充' })).toMatchObject({
      status: 409,
      body: { code: 'REPAIR_NOT_PENDING' },
    });
  });

  it('refuses approval before the minimum publication period, naming it', async () => {
    const uscc = testUscc(4_100_003);
    await publish(PenaltyDecidedV1, penalty(uscc, [{ kind: 'industry_ban' }]));
    const listed = await waitFor('the list entry', async () => {
      const record = await full(uscc);
      return record.body.listEntries?.length === 1 ? record.body : undefined;
    });
    const application = await call('POST', `/credit-records/${uscc}/repairs`, SAMR_KEY, {
      entryId: listed.listEntries[0].entryId,
      reason: '已整改',
      rectificationEvidence: '整改报告',
      commitment: '信用承诺书',
    });
    const refused = await call('POST', `/credit-repairs/${application.body.id}/decision`, AUTHORITY_KEY, {
      decision: 'approve',
      note: '同意',
    });
    expect(refused.status).toBe(422);
    expect(refused.body.details.conditions).toEqual([expect.objectContaining({ condition: 'minimum_publication_period' })]);
    expect(refused.body.detail).toContain('minimum_publication_period');
  });

  it('records a commitment breach and blacklists the entity; a fulfilment is recorded too', async () => {
    const uscc = testUscc(4_100_004);
    const verification = (outcome: 'fulfilled' | 'breached'): CommitmentVerifiedV1 => ({
      verificationId: randomUUID(),
      approvalId: randomUUID(),
      uscc,
      itemCode: 'FOOD-BUSINESS-LICENCE',
      department: '320700-SAMR',
      outcome,
      findings: outcome === 'breached' ? '承诺的经营场所不存在' : '核查属实',
      verifiedAt: new Date().toISOString(),
    });
    await publish(CommitmentVerifiedV1, verification('fulfilled'));
    await publish(CommitmentVerifiedV1, verification('breached'));
    const [event] = await waitFor('the blacklisting event', async () => {
      const events = await statusEvents(uscc);
      return events.length === 1 ? events : undefined;
    });
    expect(event).toMatchObject({ tier: 'D', lists: ['serious_dishonesty'] });
    expect(event.measures).toContain('no_commitment_approval');
    const record = (await full(uscc)).body;
    expect(record.commitments.map((c: { detail: { outcome: string } }) => c.detail.outcome)).toEqual(['fulfilled', 'breached']);
    expect(record.listEntries[0]).toMatchObject({ list: 'serious_dishonesty', ruleId: 'commitment-breach' });
    const published = (await call('GET', `/credit-records/${uscc}`)).body;
    expect(published.commitments).toHaveLength(2);
    expect(JSON.stringify(published)).not.toContain('经营场所');
  });

  it('an upheld objection corrects the record from its date; the history keeps both', async () => {
    const uscc = testUscc(4_100_005);
    await publish(InspectionRecordedV1, {
      inspectionId: randomUUID(),
      uscc,
      department: '320700-SAMR',
      inspector: '李强',
      result: 'non_compliant',
      violations: [{ code: 'ADDRESS-UNREACHABLE', description: '通过登记的住所无法联系' }],
      inspectedAt: monthsAgo(1).toISOString(),
    });
    const listed = await waitFor('the abnormal-operation entry', async () => {
      const record = await full(uscc);
      return record.body.listEntries?.length === 1 ? record.body : undefined;
    });
    expect(listed).toMatchObject({ tier: 'C', lists: ['abnormal_operation'], measures: ['higher_inspection_ratio'] });
    const inspectionEntry = listed.inspections[0].id;

    const objection = await call('POST', `/credit-records/${uscc}/objections`, SAMR_KEY, {
      entryId: inspectionEntry,
      grounds: '检查时住所已依法变更登记',
    });
    expect(objection.status).toBe(201);
    expect(objection.body.status).toBe('received');
    const tooEarly = await call('POST', `/credit-objections/${objection.body.id}/answer`, AUTHORITY_KEY, {
      outcome: 'upheld',
      answer: '予以更正',
    });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.code).toBe('OBJECTION_TRANSITION_NOT_ALLOWED');
    expect((await call('POST', `/credit-objections/${objection.body.id}/handling`, AUTHORITY_KEY, { handler: '陈科长' })).body.status).toBe(
      'handling',
    );
    const answered = await call('POST', `/credit-objections/${objection.body.id}/answer`, AUTHORITY_KEY, {
      outcome: 'upheld',
      answer: '经核实，住所已变更，予以更正',
    });
    expect(answered.status).toBe(200);
    expect(answered.body.status).toBe('upheld');

    const record = (await full(uscc)).body;
    expect(record).toMatchObject({ tier: 'A', lists: [] });
    expect(record.inspections[0]).toMatchObject({ id: inspectionEntry, endedBy: { kind: 'correction' }, points: 0 });
    expect(record.entries.map((entry: { kind: string }) => entry.kind)).toEqual(['inspection', 'list_entry', 'correction', 'list_exit']);
    expect(record.objections[0]).toMatchObject({ status: 'upheld', handler: '陈科长' });
    expect((await call('GET', `/credit-objections/${objection.body.id}`, SAMR_KEY)).body).toMatchObject({
      status: 'upheld',
      answer: '经核实，住所已变更，予以更正',
    });
    // Known only what was recorded before the inspection arrived, the record was empty.
    const knownBefore = await call(
      'GET',
      `/credit-records/${uscc}/full?knownAt=${encodeURIComponent(monthsAgo(2).toISOString())}`,
      SAMR_KEY,
    );
    expect(knownBefore.body).toMatchObject({ tier: 'A', entries: [] });
    const events = await waitFor('two status events', async () => {
      const found = await statusEvents(uscc);
      return found.length === 2 ? found : undefined;
    });
    expect(events.map((event) => [event.previousTier, event.tier])).toEqual([
      ['A', 'C'],
      ['C', 'A'],
    ]);
    // What the record held before the correction is still answerable.
    expect((await full(uscc, new Date(Date.now() - 3_600_000).toISOString())).body).toMatchObject({
      tier: 'C',
      lists: ['abnormal_operation'],
    });
    expect((await call('GET', `/credit-records/${uscc}`)).body.inspections).toEqual([]);
  });

  it('refuses a wrong USCC on every route and a bad asOf, writing nothing', async () => {
    const good = testUscc(4_100_006);
    const wrong = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    for (const [method, path, key, body] of [
      ['GET', `/credit-records/${wrong}`, undefined, undefined],
      ['GET', `/credit-records/${wrong}/full`, SAMR_KEY, undefined],
      ['POST', `/credit-records/${wrong}/repairs`, SAMR_KEY, { entryId: '1', reason: 'r' }],
      ['POST', `/credit-records/${wrong}/objections`, SAMR_KEY, { entryId: '1', grounds: 'g' }],
    ] as const) {
      const response = await call(method, path, key, body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        errors: [{ field: 'uscc', rule: 'isUscc', message: 'uscc has a wrong check character (GB 32100-2015)' }],
      });
    }
    const badDate = await call('GET', `/credit-records/${good}?asOf=yesterday`);
    expect(badDate.status).toBe(400);
    expect(badDate.body.errors[0]).toMatchObject({ field: 'asOf', rule: 'isRfc3339DateTime' });
    expect((await call('GET', `/credit-records/${good}/full`)).status).toBe(401);
    const rows = await dataSource.query(`SELECT count(*) AS n FROM credit_repair WHERE uscc = $1`, [wrong]);
    expect(Number(rows[0].n)).toBe(0);
  });

  it('records case closures and licence status changes from their own events, reflected but not counted', async () => {
    const uscc = testUscc(4_100_008);
    const caseId = randomUUID();
    await publish(CaseClosedV1, { caseId, uscc, department: SAMR, outcome: 'no_penalty', closedAt: new Date().toISOString() });
    await publish(LicenceStatusChangedV1, {
      approvalId: randomUUID(),
      uscc,
      licenceNumber: 'JY13207030008',
      from: 'active',
      to: 'suspended',
      until: '2027-01-01T00:00:00Z',
      reason: '责令停业整顿',
      changedAt: new Date().toISOString(),
    });
    const record = await waitFor('both facts', async () => {
      const body = (await full(uscc)).body;
      return body.caseClosures?.length === 1 && body.licenceStatusChanges?.length === 1 ? body : undefined;
    });
    expect(record).toMatchObject({ tier: 'A', score: 0, lists: [] });
    expect(record.caseClosures[0].detail).toEqual({ caseId, department: SAMR, outcome: 'no_penalty' });
    expect(record.licenceStatusChanges[0].detail).toMatchObject({ from: 'active', to: 'suspended' });
    const published = (await call('GET', `/credit-records/${uscc}`)).body;
    expect(published.licenceStatusChanges).toEqual([expect.objectContaining({ licenceNumber: 'JY13207030008', to: 'suspended' })]);
    expect(await statusEvents(uscc)).toEqual([]);
  });

  it('the refresh restores the stored tier when a fact leaves the look-back period, and says so (CreditStatusChangedV1)', async () => {
    const uscc = testUscc(4_100_009);
    // A fine 36 months ago less a minute: it counts now, and stops counting within the minute.
    const decidedAt = new Date(Date.now() + 60_000);
    decidedAt.setUTCMonth(decidedAt.getUTCMonth() - 36);
    await publish(PenaltyDecidedV1, penalty(uscc, [{ kind: 'fine', amount: 5000 }], decidedAt));
    await waitFor('tier B', async () => (await statusEvents(uscc)).length === 1);
    const [stored] = await dataSource.query(`SELECT tier, next_review_at FROM credit_record WHERE uscc = $1`, [uscc]);
    expect(stored.tier).toBe('B');
    const due = new Date(decidedAt);
    due.setUTCMonth(due.getUTCMonth() + 36);
    expect(new Date(stored.next_review_at).toISOString()).toBe(due.toISOString());

    expect((await call('POST', '/admin/credit-refreshes', SAMR_KEY, {})).status).toBe(403);
    const early = await call('POST', '/admin/credit-refreshes', OPS_KEY, {});
    expect(early.status).toBe(200);
    expect(early.body.changed.filter((change: { uscc: string }) => change.uscc === uscc)).toEqual([]);

    const later = await call('POST', '/admin/credit-refreshes', OPS_KEY, { asOf: new Date(due.getTime() + 1000).toISOString() });
    expect(later.body.changed).toContainEqual({ uscc, from: 'B', to: 'A' });
    const events = await statusEvents(uscc);
    expect(events.map((event) => [event.previousTier, event.tier])).toEqual([
      ['A', 'B'],
      ['B', 'A'],
    ]);
    const [after] = await dataSource.query(`SELECT tier, next_review_at FROM credit_record WHERE uscc = $1`, [uscc]);
    expect(after).toEqual({ tier: 'A', next_review_at: null });
    // Nothing more is due: a second refresh changes nothing.
    const again = await call('POST', '/admin/credit-refreshes', OPS_KEY, { asOf: new Date(due.getTime() + 2000).toISOString() });
    expect(again.body.changed.filter((change: { uscc: string }) => change.uscc === uscc)).toEqual([]);
  });

  it('the refresh pages through more due records than one page, in a stable order, missing none', async () => {
    const asOf = new Date(Date.now() + 10 * 86_400_000);
    // 250 records (more than a page of 200) with nothing behind them but a stale tier C, due at 150 instants (with ties).
    const usccs = Array.from({ length: 250 }, (_, i) => testUscc(4_200_000 + i));
    await dataSource.query(
      `INSERT INTO credit_record (uscc, tier, score, lists, measures, version, updated_at, next_review_at)
       SELECT u, 'C', 5, '{}', '{}', 1, now(), now() - ((ordinality % 150) || ' seconds')::interval
         FROM unnest($1::text[]) WITH ORDINALITY AS t(u, ordinality)`,
      [usccs],
    );
    const result = await call('POST', '/admin/credit-refreshes', OPS_KEY, { asOf: asOf.toISOString() });
    expect(result.body.reviewed).toBeGreaterThanOrEqual(250);
    const [left] = await dataSource.query(`SELECT count(*)::int AS n FROM credit_record WHERE uscc = ANY($1) AND tier <> 'A'`, [usccs]);
    expect(left.n).toBe(0);
  });

  it('keeps complaints as a risk signal beside the record: counted in the full view, never in the tier or the published record', async () => {
    const uscc = testUscc(4_100_010);
    const first = randomUUID();
    const complaint = (complaintId: string, repeatOf?: string) => ({
      complaintId,
      uscc,
      kind: 'report' as const,
      channel: 'hotline_12345' as const,
      department: SAMR,
      ...(repeatOf ? { repeatOf } : {}),
      repeatCount: repeatOf ? 1 : 0,
      answerDeadline: new Date(Date.now() + 86_400_000).toISOString(),
      registeredAt: new Date().toISOString(),
    });
    await publish(ComplaintRegisteredV1, complaint(first));
    await publish(ComplaintRegisteredV1, complaint(randomUUID(), first));
    await publish(ComplaintRegisteredV1, complaint(first)); // the same complaint again, under another event id
    const record = await waitFor('both complaints counted', async () => {
      const body = (await full(uscc)).body;
      return body.riskSignals?.complaints.last12Months === 2 ? body : undefined;
    });
    expect(record).toMatchObject({
      tier: 'A',
      score: 0,
      riskSignals: { complaints: { last12Months: 2, repeats: 1, byKind: { report: 2 } } },
    });
    expect((await call('GET', `/credit-records/${uscc}`)).body.riskSignals).toBeUndefined();
    expect(await statusEvents(uscc)).toEqual([]);
  });

  it('puts a clean entity with a compliant inspection on the red list (守信激励), and takes it off at its first penalty', async () => {
    const uscc = testUscc(4_100_021);
    await publish(InspectionRecordedV1, {
      inspectionId: randomUUID(),
      uscc,
      department: '320700-SAMR',
      inspector: '李强',
      result: 'compliant',
      violations: [],
      inspectedAt: monthsAgo(1).toISOString(),
    });
    const redListEvents = async () =>
      (
        await dataSource.query(`SELECT value FROM outbox WHERE event_type = $1 AND message_key = $2 ORDER BY id`, [
          CreditRedListChangedV1.type,
          uscc,
        ])
      ).map((row: { value: Buffer }) => JSON.parse(row.value.toString()).data as CreditRedListChangedV1);
    await waitFor('the red-list entry', async () => (await redListEvents()).length === 1);
    expect((await redListEvents())[0]).toMatchObject({ onRedList: true, incentives: ['fast_track_approval', 'fewer_inspections'] });
    const published = await call('GET', `/credit-records/${uscc}`);
    expect(published.body.redList).toEqual({ onRedList: true, incentives: ['fast_track_approval', 'fewer_inspections'] });
    expect((await call('GET', `/credit-records/${uscc}/funding-eligibility`, SAMR_KEY)).body).toMatchObject({
      eligible: true,
      restrictedBy: [],
      redList: true,
    });

    await publish(PenaltyDecidedV1, penalty(uscc, [{ kind: 'licence_revocation' }]));
    await waitFor('the red-list exit', async () => (await redListEvents()).length === 2);
    expect((await redListEvents())[1]).toMatchObject({ onRedList: false, incentives: [] });
    const funding = await call('GET', `/credit-records/${uscc}/funding-eligibility`, SAMR_KEY);
    expect(funding.body).toMatchObject({ eligible: false, restrictedBy: [{ list: 'serious_dishonesty', measure: 'no_public_funding' }] });
    expect((await call('GET', `/credit-records/${uscc}/funding-eligibility`)).status).toBe(401);
  });

  it('applies a redelivered event once', async () => {
    const uscc = testUscc(4_100_007);
    const data = penalty(uscc, [{ kind: 'fine', amount: 2_000_000 }]);
    const envelope = createEnvelope(PenaltyDecidedV1, { source: '/tests', subject: uscc, data, correlationId: randomUUID() });
    const message = { key: uscc, value: JSON.stringify(envelope) };
    const producer = service.kafka().producer();
    await producer.connect();
    await producer.send({ topic: service.topic(Topics.EnforcementEvents), messages: [message, message] });
    await producer.disconnect();
    await waitFor('the event', async () => (await statusEvents(uscc)).length === 1);
    const record = (await full(uscc)).body;
    expect(record.penalties).toHaveLength(1);
    expect(record.listEntries).toEqual([expect.objectContaining({ ruleId: 'heavy-fine' })]);
  });
});
