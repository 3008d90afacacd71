import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from 'pg';
import { workingDayDeadline } from '@backbone/platform';
import { REPO_ROOT, TestSystem, testUscc, waitFor } from '@backbone/testing';

const run = promisify(execFile);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A risk warning (风险预警, docs/domain.md §8) end to end, on real Kafka and PostgreSQL: the market
 * regulator raises a red warning over food businesses in one district → the departments supervising it
 * are named; a new approval in the scope is flagged for stricter review (a commitment-based one refused),
 * its task gets one working day to claim instead of two, both effects in the approval's trail; a random
 * inspection task over the scope draws at three times the ratio, and the draw verifies. Lifted → the next
 * approval, task and inspection task follow the normal rules again.
 */
describe('risk warning end to end', () => {
  let system: TestSystem;
  let approvalDb: Client;
  let inspectionDb: Client;

  beforeAll(async () => {
    system = await TestSystem.start(['approval', 'supervision', 'inspection'], {
      inspection: { INSPECTION_SWEEP_INTERVAL_MS: '0' },
      supervision: { DEADLINE_SWEEP_INTERVAL_MS: '0' },
    });
    approvalDb = await system.sql('approval');
    inspectionDb = await system.sql('inspection');
  });

  afterAll(async () => {
    await system?.stop();
  });

  /** Both consumers hold the warning in the given state (polled over one connection each, not a new one per probe). */
  async function held(warningId: string, ended: boolean) {
    for (const [name, db] of [
      ['approval', approvalDb],
      ['inspection', inspectionDb],
    ] as const) {
      await waitFor(
        `the warning ${ended ? 'lifted' : 'raised'} at ${name}`,
        async () => {
          const { rows } = await db.query(`SELECT ended_at FROM risk_warning WHERE id = $1`, [warningId]);
          return rows.length === 1 && (rows[0].ended_at !== null) === ended;
        },
        { intervalMs: 250 },
      );
    }
  }

  let application = 0;
  async function grant(uscc: string, kind = 'licence') {
    application += 1;
    return system.call('approval', '320700-APPROVAL', 'POST', '/approvals', {
      applicationNumber: `RW-${application}`,
      uscc,
      entityName: `连云港风险预警测试${application}号餐饮店`,
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind,
      outcome: 'granted',
      licenceNumber: `JY-RW-${application}`,
    });
  }

  async function taskOf(approvalId: string) {
    return waitFor('the supervision task', async () => {
      const found = await system.call('supervision', '320700-SAMR', 'GET', `/tasks?approvalId=${approvalId}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
  }

  let reference = 0;
  async function frozenRatios(usccs: string[]) {
    for (const uscc of usccs) {
      await waitFor(`${uscc} in the target pool`, async () => {
        const target = await system.call('inspection', '320700-SAMR', 'GET', `/targets/${uscc}`);
        return target.status === 200 && target.body.licences.length === 1;
      });
    }
    reference += 1;
    const task = await system.call('inspection', '320700-SAMR', 'POST', '/tasks', {
      reference: `LYG-RW-${reference}`,
      title: '海州区餐饮专项抽查',
      itemCodes: ['FOOD-RISK'],
      filters: { regionPrefixes: ['320703'] },
    });
    expect(task.status).toBe(201);
    const seed = `risk-warning-seed-${reference}`;
    const frozen = await system.call('inspection', '320700-SAMR', 'POST', `/tasks/${task.body.id}/freeze`, {
      seedCommitment: sha256(seed),
    });
    expect(frozen.status).toBe(200);
    const drawn = await system.call('inspection', '320700-SAMR', 'POST', `/tasks/${task.body.id}/draws`, { seed });
    expect(drawn.status).toBe(200);
    const verifier = await run(
      process.execPath,
      [join(REPO_ROOT, 'dist/services/inspection/src/verifier/verify-draw.js'), task.body.id, '--url', system.service('inspection').url],
      { timeout: 60_000 },
    );
    expect(verifier.stdout).toContain('verified: the published draw is reproduced exactly');
    return (await system.call('inspection', '320700-SAMR', 'GET', `/tasks/${task.body.id}`)).body;
  }

  it('raise → tighter claim deadline, stricter review, higher ratio, all in the trail; lift → normal rules', async () => {
    // The inspection side: a general item over the food licences, two inspectors.
    const defined = await system.call('inspection', '320700-SAMR', 'PUT', '/items/FOOD-RISK', {
      name: '餐饮食品安全专项检查',
      legalBasis: '《食品安全法》第一百一十条',
      inspectingDepartments: ['320700-SAMR'],
      objectScope: { licenceItemCodes: ['FOOD-BUSINESS-LICENCE'] },
      method: 'on_site',
      kind: 'general',
      minRatioBp: 0,
      maxRatioBp: 10_000,
      frequencyPerYear: 1,
    });
    expect(defined.status).toBe(200);
    for (const i of [1, 2]) {
      const created = await system.call('inspection', '320700-SAMR', 'POST', '/inspectors', {
        name: `市监检查员${i}`,
        certificateNumber: `SAMR-RW-${i}`,
        regionCode: '320700',
      });
      expect(created.status).toBe(201);
    }

    // Bad input: a clear 400 naming the field and the rule; nothing raised.
    const empty = await system.call('supervision', '320700-SAMR', 'POST', '/risk-warnings', {
      reference: 'YJ-BAD',
      level: 'red',
      title: '空范围',
      endsAt: '2099-01-01T00:00:00+08:00',
      scope: {},
      concerns: ['x'],
      measures: ['y'],
    });
    expect(empty).toMatchObject({ status: 422, body: { code: 'RISK_WARNING_SCOPE_EMPTY' } });
    const purple = await system.call('supervision', '320700-SAMR', 'POST', '/risk-warnings', {
      reference: 'YJ-BAD',
      level: 'purple',
      title: '错误级别',
      endsAt: '2099-01-01T00:00:00+08:00',
      scope: { regionPrefixes: ['320703'] },
      concerns: ['x'],
      measures: ['y'],
    });
    expect(purple.status).toBe(400);
    expect(JSON.stringify(purple.body)).toContain('level');
    const notRaiser = await system.call('supervision', '320700-APPROVAL', 'POST', '/risk-warnings', {});
    expect(notRaiser.status).toBe(403);
    expect((await system.call('supervision', '320700-SAMR', 'GET', '/risk-warnings?open=false')).body.warnings).toEqual([]);

    // Raise: red, food businesses of district 320703.
    const raised = await system.call('supervision', '320700-SAMR', 'POST', '/risk-warnings', {
      reference: 'LYG-YJ-2026-007',
      level: 'red',
      title: '夏季餐饮食品安全风险预警',
      endsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      scope: { regionPrefixes: ['320703'], licenceItemCodes: ['FOOD-BUSINESS-LICENCE'] },
      concerns: ['高温天气凉菜、生食类食品制售'],
      measures: ['加密抽查', '从严审核新办许可'],
    });
    expect(raised.status).toBe(201);
    expect(raised.body).toMatchObject({ level: 'red', active: true, notifiedDepartments: ['320700-SAMR'] });
    const warningId: string = raised.body.id;
    const queue = await system.call('supervision', '320700-SAMR', 'GET', '/risk-warnings?notifiedDepartment=320700-SAMR');
    expect(queue.body.warnings.map((w: { id: string }) => w.id)).toEqual([warningId]);
    await held(warningId, false);

    // Approval in the scope: recorded, flagged for stricter review; a commitment-based grant refused.
    const warned = testUscc(7_100_001);
    const decided = await grant(warned);
    expect(decided.status).toBe(201);
    expect(decided.body).toMatchObject({
      creditCheck: { stricterReview: true },
      riskWarning: { warningId, reference: 'LYG-YJ-2026-007', level: 'red' },
    });
    const commitment = await grant(testUscc(7_100_002), 'commitment');
    expect(commitment).toMatchObject({ status: 422, body: { code: 'RISK_WARNING_NO_COMMITMENT' } });

    // Its task: one working day to claim instead of the catalog's two.
    const task = await taskOf(decided.body.id);
    const decidedAt = new Date(decided.body.decidedAt);
    expect(new Date(task.claimDeadline)).toEqual(workingDayDeadline(decidedAt, 1));
    const touched = await system.call('supervision', '320700-SAMR', 'GET', `/risk-warnings/${warningId}`);
    expect(touched.body.tasks).toEqual([expect.objectContaining({ taskId: task.id, normalClaimDays: 2, claimDays: 1 })]);

    // Both effects in the approval's trail.
    const trail = await waitFor('the warning’s effects in the trail', async () => {
      const found = await system.call('approval', '320700-APPROVAL', 'GET', `/approvals/${decided.body.id}/trail`);
      const types: string[] = (found.body.events ?? found.body).map((event: { type: string }) => event.type);
      return types.includes('backbone.supervision.task-risk-warning-applied.v1') && types.includes('backbone.approval.risk-reviewed.v1')
        ? types
        : undefined;
    });
    expect(trail.indexOf('backbone.supervision.task-assigned.v1')).toBeLessThan(
      trail.indexOf('backbone.supervision.task-risk-warning-applied.v1'),
    );

    // A random inspection over the scope: three times the ratio (red: 300 %), frozen with the pool, verified.
    const raisedTask = await frozenRatios([warned]);
    expect(raisedTask.ratiosBp).toMatchObject({ A: 600, B: 1_500, C: 3_000, D: 9_000 });
    expect(raisedTask.riskWarnings).toEqual([expect.objectContaining({ warningId, level: 'red', ratioPercent: 300 })]);

    // Lift: only its department or an operator; then normal rules everywhere.
    expect((await system.call('supervision', '320700-HEALTH', 'POST', `/risk-warnings/${warningId}/lift`, {})).body.code).toBe(
      'NOT_WARNING_DEPARTMENT',
    );
    const lifted = await system.call('supervision', '320700-SAMR', 'POST', `/risk-warnings/${warningId}/lift`, {
      note: '气温回落，风险已消除',
    });
    expect(lifted).toMatchObject({ status: 200, body: { active: false, endReason: 'lifted', endedBy: '320700-SAMR' } });
    expect((await system.call('supervision', '320700-SAMR', 'POST', `/risk-warnings/${warningId}/lift`, {})).body.code).toBe(
      'RISK_WARNING_ENDED',
    );
    await held(warningId, true);

    const normal = await grant(testUscc(7_100_003));
    expect(normal.status).toBe(201);
    expect(normal.body).toMatchObject({ creditCheck: { stricterReview: false }, riskWarning: null });
    expect((await grant(testUscc(7_100_004), 'commitment')).status).toBe(201);
    const normalTask = await taskOf(normal.body.id);
    expect(new Date(normalTask.claimDeadline)).toEqual(workingDayDeadline(new Date(normal.body.decidedAt), 2));
    const normalTaskRatios = await frozenRatios([warned, testUscc(7_100_003)]);
    expect(normalTaskRatios.ratiosBp).toMatchObject({ A: 200, B: 500, C: 1_000, D: 3_000 });
    expect(normalTaskRatios.riskWarnings).toEqual([]);
  });
});
