import { createHash } from 'node:crypto';
import { TestSystem, testUscc, waitFor } from '@backbone/testing';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The red list's lower inspection frequency (守信激励; 000 三(四)3 信用好的降低抽查比例和频次), across services:
 * a compliant ad-hoc inspection at supervision puts a clean entity on the red list at credit, and the
 * inspection service leaves it out of the pool of a general-items task because it was inspected within
 * RED_LIST_INSPECTION_INTERVAL_DAYS. It is a frequency rule, not a lower ratio: the entity not on the list
 * is drawn at the same ratios, and a task with a key item still covers the red-listed entity.
 */
describe('red list → fewer random inspections', () => {
  let system: TestSystem;

  beforeAll(async () => {
    system = await TestSystem.start(['approval', 'supervision', 'credit', 'inspection'], {
      inspection: { INSPECTION_SWEEP_INTERVAL_MS: '0' },
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('leaves a red-listed entity inspected this year out of a general task, not out of a key-item task', async () => {
    const trusted = testUscc(7_800_001);
    const other = testUscc(7_800_002);
    for (const [uscc, number] of [
      [trusted, 'RL-0001'],
      [other, 'RL-0002'],
    ]) {
      const decided = await system.call('approval', '320700-APPROVAL', 'POST', '/approvals', {
        applicationNumber: number,
        uscc,
        entityName: `连云港${number}餐饮有限公司`,
        itemCode: 'FOOD-BUSINESS-LICENCE',
        regionCode: '320703',
        kind: 'licence',
        outcome: 'granted',
        licenceNumber: `JY${number}`,
      });
      expect(decided.status).toBe(201);
      await waitFor(`${uscc} in the target pool`, async () => {
        const target = await system.call('inspection', '320700-SAMR', 'GET', `/targets/${uscc}`);
        return target.status === 200 && target.body.licences.length === 1;
      });
    }

    // A compliant ad-hoc inspection of the trusted entity by its supervising department.
    const task = await waitFor('the supervision task', async () => {
      const found = await system.call('supervision', '320700-SAMR', 'GET', `/tasks?uscc=${trusted}`);
      return found.body.length === 1 ? found.body[0] : undefined;
    });
    expect((await system.call('supervision', '320700-SAMR', 'POST', `/tasks/${task.id}/claim`, { handler: '王芳' })).status).toBe(200);
    expect(
      (
        await system.call('supervision', '320700-SAMR', 'POST', '/inspections', {
          taskId: task.id,
          uscc: trusted,
          inspector: '李强',
          result: 'compliant',
          violations: [],
        })
      ).status,
    ).toBe(201);

    // Credit: tier A, nothing against it, a compliant inspection → the red list with fewer inspections.
    await waitFor('the red list at credit', async () => {
      const record = await system.call('credit', '320700-SAMR', 'GET', `/credit-records/${trusted}/full`);
      return record.body.redList?.onRedList === true && record.body.redList.incentives.includes('fewer_inspections');
    });
    const otherRecord = await system.call('credit', '320700-SAMR', 'GET', `/credit-records/${other}/full`);
    expect(otherRecord.body.redList?.onRedList ?? false).toBe(false);

    // Inspection: items, a plan, one task of a general item and one of a key item.
    const item = (department: string, kind: 'general' | 'key') => ({
      name: kind === 'key' ? '食品安全重点检查' : '食品经营日常检查',
      legalBasis: '《食品安全法》第一百一十条',
      inspectingDepartments: [department],
      objectScope: { licenceItemCodes: ['FOOD-BUSINESS-LICENCE'] },
      method: 'on_site',
      kind,
      minRatioBp: kind === 'key' ? 10_000 : 0,
      maxRatioBp: kind === 'key' ? 10_000 : 2_000,
      frequencyPerYear: 1,
    });
    expect((await system.call('inspection', '320700-SAMR', 'PUT', '/items/RL-DAILY', item('320700-SAMR', 'general'))).status).toBe(200);
    expect((await system.call('inspection', '320700-SAMR', 'PUT', '/items/RL-KEY', item('320700-SAMR', 'key'))).status).toBe(200);
    const plan = await system.call('inspection', '320700-SAMR', 'POST', '/plans', {
      year: 2026,
      title: '2026年度餐饮抽查计划',
      description: '餐饮',
    });
    expect((await system.call('inspection', '320700-SAMR', 'POST', `/plans/${plan.body.id}/publish`)).status).toBe(200);

    // The red list reached the inspection service with the inspection date.
    await waitFor('the red list at inspection', async () => {
      const target = await system.call('inspection', '320700-SAMR', 'GET', `/targets/${trusted}`);
      return target.body.redList === true && target.body.lastInspectedAt ? target.body : undefined;
    });

    const frozenPool = async (reference: string, itemCodes: string[]) => {
      const created = await system.call('inspection', '320700-SAMR', 'POST', '/tasks', {
        reference,
        planId: plan.body.id,
        title: `餐饮抽查 ${reference}`,
        itemCodes,
      });
      expect(created.status).toBe(201);
      const frozen = await system.call('inspection', '320700-SAMR', 'POST', `/tasks/${created.body.id}/freeze`, {
        seedCommitment: sha256(`seed-${reference}`),
      });
      expect(frozen.status).toBe(200);
      const pool = await (await fetch(`${system.service('inspection').url}/public/tasks/${created.body.id}/pool`)).text();
      expect(sha256(pool)).toBe(frozen.body.poolHash);
      return { pool: pool.split('\n').filter(Boolean), ratiosBp: frozen.body.ratiosBp };
    };

    // General items: the red-listed entity inspected within the interval is left out; the other is drawn as usual.
    const general = await frozenPool('LYG-2026-RL-GENERAL', ['RL-DAILY']);
    expect(general.pool.map((line) => line.split('\t')[0])).toEqual([other]);
    // A key item has no cap and no exemption: both are in its pool.
    const key = await frozenPool('LYG-2026-RL-KEY', ['RL-KEY']);
    expect(key.pool.map((line) => line.split('\t')[0]).sort()).toEqual([trusted, other].sort());
  }, 240_000);
});
