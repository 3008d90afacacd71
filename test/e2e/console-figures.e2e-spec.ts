import { TEST_CLIENTS, TestSystem, testUscc, waitFor } from '@backbone/testing';

const SAMR = '320700-SAMR';
const LEGAL = '320700-LEGAL';
const CREDIT = 'CREDIT-AUTHORITY';
const OPS = 'PLATFORM-OPS';

/**
 * The console's enforcement and credit duty figures against the owning services' own records: real
 * enforcement and credit services make legal reviews, a decision, complaints, credit repairs and
 * objections; the console, fed only by their events, must report what their databases and public lists say.
 */
describe('console duty figures agree with enforcement and credit', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start(['enforcement', 'credit', 'console'], { enforcement: { COMPLAINT_SWEEP_INTERVAL_MS: '0' } });
  });

  afterAll(async () => {
    await system?.stop();
  });

  const ok = async (
    service: 'enforcement' | 'credit',
    department: keyof typeof TEST_CLIENTS,
    method: string,
    path: string,
    body?: unknown,
  ) => {
    const response = await system.call(service, department, method, path, body);
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  async function openCase(n: number) {
    const uscc = testUscc(8_600_000 + n);
    const opened = await ok('enforcement', SAMR, 'POST', '/cases', {
      uscc,
      violationCodes: ['FOOD-HYGIENE-01'],
      openedBy: '王芳',
      reason: '日常检查发现冷库温度记录缺失',
    });
    await ok('enforcement', SAMR, 'POST', `/cases/${opened.id}/investigation`, { investigator: '李强' });
    await ok('enforcement', SAMR, 'POST', `/cases/${opened.id}/evidence`, {
      collectedBy: '李强',
      description: '现场检查笔录',
      reference: `EV-CF-${n}`,
    });
    return { id: opened.id as string, uscc };
  }

  it('counts legal reviews pending, decisions published on time, complaints waiting and past deadline, repairs and objections pending as the services record them', async () => {
    // Case 1: reviewed, approved and decided (a serious fine). Case 2: its review still waits.
    const penalties = [{ kind: 'fine', amount: 50_000 }];
    const proposal = { requestedBy: '李强', action: 'decide', severity: 'serious', penalties, reason: '拟罚款五万元' };
    const decidedCase = await openCase(1);
    await ok('enforcement', SAMR, 'POST', `/cases/${decidedCase.id}/legal-review-request`, proposal);
    await ok('enforcement', LEGAL, 'POST', `/cases/${decidedCase.id}/legal-review`, {
      reviewer: '陈静',
      outcome: 'approved',
      opinion: '同意',
    });
    await ok('enforcement', SAMR, 'POST', `/cases/${decidedCase.id}/decision`, {
      decisionNumber: '连市监罚〔2026〕901号',
      severity: 'serious',
      penalties,
    });
    const waitingCase = await openCase(2);
    await ok('enforcement', SAMR, 'POST', `/cases/${waitingCase.id}/legal-review-request`, proposal);

    // Complaints: one answered, one waiting.
    const complaint = (n: number) =>
      ok('enforcement', SAMR, 'POST', '/complaints', { uscc: testUscc(8_600_100 + n), complainant: '张女士', content: '餐馆后厨卫生差' });
    const answered = await complaint(1);
    await complaint(2);
    await ok('enforcement', SAMR, 'POST', `/complaints/${answered.id}/acceptance`, { acceptedBy: '王芳' });
    await ok('enforcement', SAMR, 'POST', `/complaints/${answered.id}/answer`, { answer: '已责令整改' });

    // Credit: the penalty's entry gets a repair application (waiting) and two objections (one answered).
    const record = await waitFor('the penalty in the credit record', async () => {
      const found = await system.call('credit', SAMR, 'GET', `/credit-records/${decidedCase.uscc}/full`);
      return found.body.penalties?.length === 1 ? found.body : undefined;
    });
    const entryId = String(record.penalties[0].id);
    await ok('credit', SAMR, 'POST', `/credit-records/${decidedCase.uscc}/repairs`, {
      entryId,
      reason: '已完成整改并缴清罚款',
      rectificationEvidence: '整改报告',
      commitment: '承诺守法经营',
    });
    const objection = await ok('credit', SAMR, 'POST', `/credit-records/${decidedCase.uscc}/objections`, {
      entryId,
      grounds: '处罚金额记录有误',
    });
    await ok('credit', CREDIT, 'POST', `/credit-objections/${objection.id}/handling`, { handler: '周敏' });
    await ok('credit', CREDIT, 'POST', `/credit-objections/${objection.id}/answer`, { outcome: 'rejected', answer: '经核实记录无误' });
    await ok('credit', SAMR, 'POST', `/credit-records/${decidedCase.uscc}/objections`, { entryId, grounds: '处罚已执行完毕' });

    // What the services' own records say (judged a year on, when every complaint deadline has passed).
    const asOf = new Date(Date.now() + 365 * 86_400_000);
    const enforcementDb = await system.sql('enforcement');
    const creditDb = await system.sql('credit');
    const one = async (db: typeof enforcementDb, sql: string, values: unknown[] = []) => Number((await db.query(sql, values)).rows[0].n);
    const truth = {
      legalReviewsPending: await one(
        enforcementDb,
        `SELECT count(*) AS n FROM legal_review r JOIN enforcement_case c ON c.id = r.case_id WHERE r.outcome IS NULL AND c.closed_at IS NULL`,
      ),
      decided: await one(enforcementDb, `SELECT count(*) AS n FROM penalty_decision`),
      published: ((await fetch(`${system.service('enforcement').url}/publicity/decisions`).then((r) => r.json())) as unknown[]).length,
      complaintsPending: await one(enforcementDb, `SELECT count(*) AS n FROM complaint WHERE status <> 'answered'`),
      complaintsPastDeadline: await one(
        enforcementDb,
        `SELECT count(*) AS n FROM complaint WHERE status <> 'answered' AND answer_deadline < $1`,
        [asOf],
      ),
      repairsPending: await one(creditDb, `SELECT count(*) AS n FROM credit_repair WHERE status = 'pending'`),
      objectionsPending: await one(creditDb, `SELECT count(*) AS n FROM credit_objection WHERE status IN ('received', 'handling')`),
    };
    // The scenario means something: every figure is non-zero.
    expect(truth).toEqual({
      legalReviewsPending: 1,
      decided: 1,
      published: 1,
      complaintsPending: 1,
      complaintsPastDeadline: 1,
      repairsPending: 1,
      objectionsPending: 1,
    });

    const figures = await waitFor('the console to have applied every event', async () => {
      const found = await system.call('console', OPS, 'GET', `/figures/enforcement?asOf=${encodeURIComponent(asOf.toISOString())}`);
      const body = found.body;
      return body.credit?.objections.filed === 2 && body.credit.objections.answered === 1 && body.credit.repairs.filed === 1
        ? body
        : undefined;
    });
    expect({
      legalReviewsPending: figures.legalReviews.pendingNow,
      decided: figures.decisions.decided,
      published: figures.decisions.publishedOnTime,
      complaintsPending: figures.complaints.pendingNow,
      complaintsPastDeadline: figures.complaints.pastDeadlineNow,
      repairsPending: figures.credit.repairs.pendingNow,
      objectionsPending: figures.credit.objections.pendingNow,
    }).toEqual(truth);
    expect(figures.legalReviews).toMatchObject({ requested: 2, approved: 1, rejected: 0 });
    expect(figures.complaints).toMatchObject({ registered: 2, answered: 1, answeredLate: 0 });
  });
});
