import type { EntityManager } from 'typeorm';
import type { RiskWarningTarget } from '@backbone/contracts';
import { ClaimRiskWarnings, ClaimTightening } from '../risk-warnings/claim-risk-warnings';
import type { SupervisionTask } from './supervision-task.entity';
import { APPROVAL, config, InMemoryTaskRepository, route } from '../../test/task-fakes';
import { TaskLifecycle } from './task-lifecycle.service';

/** A manager that records the rows inserted through a query builder (the commitment verification). */
function recordingManager() {
  const inserted: Array<Record<string, unknown>> = [];
  const builder = {
    insert: () => builder,
    into: () => builder,
    values: (rows: Record<string, unknown> | Array<Record<string, unknown>>) => {
      inserted.push(...[rows].flat());
      return builder;
    },
    orIgnore: () => builder,
    execute: () => Promise.resolve(),
  };
  return { inserted, manager: { createQueryBuilder: () => builder } as unknown as EntityManager };
}

describe('the lifecycle that comes with every assignment', () => {
  it('opens a task: stored, TaskAssignedV1 published, nothing else for a licence', async () => {
    const tasks = new InMemoryTaskRepository();
    const { inserted, manager } = recordingManager();
    const task = await new TaskLifecycle(tasks, config()).open(
      manager,
      APPROVAL,
      route('320700-SAMR'),
      'loop-1',
      new Date(APPROVAL.decidedAt),
    );
    expect(tasks.rows.get(task.id)).toBe(task);
    expect(tasks.types()).toEqual(['backbone.supervision.task-assigned.v1']);
    expect(inserted).toEqual([]);
  });

  it('schedules the verification of a commitment-based approval, due in its working days', async () => {
    const tasks = new InMemoryTaskRepository();
    const { inserted, manager } = recordingManager();
    const commitment = { ...APPROVAL, kind: 'commitment' as const };
    const task = await new TaskLifecycle(tasks, config()).open(
      manager,
      commitment,
      route('320700-SAMR', { basis: 'commitment' }),
      'loop-1',
      new Date(APPROVAL.decidedAt),
    );
    expect(inserted).toEqual([
      expect.objectContaining({
        approvalId: APPROVAL.approvalId,
        taskId: task.id,
        // Monday 9 June 2025 + 20 working days (no holiday in between) = Monday 7 July.
        dueAt: new Date('2025-07-07T23:59:59.999+08:00'),
      }),
    ]);
  });

  it('lets an auto-claim department claim at once, after the assignment', async () => {
    const tasks = new InMemoryTaskRepository();
    const { manager } = recordingManager();
    const lifecycle = new TaskLifecycle(tasks, config({ AUTO_CLAIM_DEPARTMENTS: 'A-DEPT,320700-SAMR' }));
    const task = await lifecycle.open(manager, APPROVAL, route('320700-SAMR'), 'loop-1', new Date(APPROVAL.decidedAt));
    expect(task).toMatchObject({ status: 'claimed', claimedHandler: 'auto-claim' });
    expect(tasks.types()).toEqual(['backbone.supervision.task-assigned.v1', 'backbone.supervision.task-claimed.v1']);
  });
});

describe('an active risk warning covering a new task (docs/domain.md §8)', () => {
  class OneWarning extends ClaimRiskWarnings {
    readonly recorded: ClaimTightening[] = [];
    tighteningFor(_manager: EntityManager, target: RiskWarningTarget, normalDays: number): Promise<ClaimTightening | null> {
      if (target.regionCode !== '320703') return Promise.resolve(null);
      return Promise.resolve({ warningId: '6b8f0c1e-2a4d-4e8f-9c3b-1d2e3f4a5b6c', level: 'red', normalDays, claimDays: 1 });
    }
    recordApplied(_manager: EntityManager, _task: SupervisionTask, tightening: ClaimTightening): Promise<void> {
      this.recorded.push(tightening);
      return Promise.resolve();
    }
  }

  it('tightens the claim deadline, announces it after the assignment and records it against the task', async () => {
    const tasks = new InMemoryTaskRepository();
    const warnings = new OneWarning();
    const { manager } = recordingManager();
    const task = await new TaskLifecycle(tasks, config(), warnings).open(
      manager,
      APPROVAL,
      route('320700-SAMR'),
      'loop-1',
      new Date(APPROVAL.decidedAt),
    );
    // Monday 9 June 2025: one working day → end of Tuesday 10 June (two without the warning).
    expect(task.claimDeadline).toEqual(new Date('2025-06-10T23:59:59.999+08:00'));
    expect(tasks.types()).toEqual(['backbone.supervision.task-assigned.v1', 'backbone.supervision.task-risk-warning-applied.v1']);
    expect(tasks.published[1].data).toMatchObject({
      level: 'red',
      normalClaimDays: 2,
      claimDays: 1,
      claimDeadline: task.claimDeadline.toISOString(),
    });
    expect(warnings.recorded).toHaveLength(1);
  });

  it('outside its scope: the catalog’s days, nothing recorded', async () => {
    const tasks = new InMemoryTaskRepository();
    const warnings = new OneWarning();
    const { manager } = recordingManager();
    const task = await new TaskLifecycle(tasks, config(), warnings).open(
      manager,
      { ...APPROVAL, regionCode: '320706' },
      route('320700-SAMR'),
      'loop-1',
      new Date(APPROVAL.decidedAt),
    );
    expect(task.claimDeadline).toEqual(new Date('2025-06-11T23:59:59.999+08:00'));
    expect(tasks.types()).toEqual(['backbone.supervision.task-assigned.v1']);
    expect(warnings.recorded).toEqual([]);
  });
});
