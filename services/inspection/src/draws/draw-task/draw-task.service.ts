import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inspectionTaskSubject, InspectionTaskDrawnV1, StratumCountsV1 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { workingDayDeadline } from '@backbone/platform';
import { inspectionError } from '../../inspection.errors';
import { TaskDraw } from '../../tasks/inspection-task.entity';
import { lockTaskForLead } from '../../tasks/task-access';
import { assertTaskTransition } from '../../tasks/task-transitions';
import { InspectionConfig } from '../../inspection.config';
import { seedCommitment, STRATA } from '../canonical-pool';
import { readStrata, readUsccs } from '../frozen-pool.reader';
import { completeDraw, DrawOutcome, DrawShortfall, drawTargets, StratumFigures } from '../draw';

/** Shortfalls listed in a 409 (all are counted). */
const LISTED_SHORTFALLS = 50;

/**
 * Reveals the seed and draws: only on a frozen pool, only with the seed that matches the published
 * commitment. The outcome (digest, canonical result, strata) is stored on the draw round and one check
 * per drawn entity is created, with a working-day deadline. A shortfall of inspectors draws nothing.
 * The draw is announced to the duty figures as `task drawn` (pool and list per stratum, the register's
 * size), in the same transaction.
 */
@Injectable()
export class DrawTaskService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: InspectionConfig,
    private readonly outbox: Outbox,
  ) {}

  draw(department: string, taskId: string, seed: string): Promise<{ draw: TaskDraw; outcome: DrawOutcome }> {
    return this.dataSource.transaction(async (manager) => {
      const task = await lockTaskForLead(manager, taskId, department);
      if (task.status !== 'pool_frozen') {
        throw inspectionError(
          'POOL_NOT_FROZEN',
          `task ${taskId} is ${task.status}: a draw needs a frozen pool with a published seed commitment (POST /tasks/${taskId}/freeze)`,
        );
      }
      assertTaskTransition(task.status, 'drawn');
      const round = await manager.findOne(TaskDraw, { where: { taskId }, order: { round: 'DESC' } });
      if (!round || round.drawnAt) throw inspectionError('POOL_NOT_FROZEN', `task ${taskId} has no open seed commitment`);
      if (seedCommitment(seed) !== round.seedCommitment) {
        throw inspectionError('SEED_MISMATCH', `seed: its SHA-256 is not the published commitment ${round.seedCommitment}`);
      }
      // The pool is read inside PostgreSQL: each entity's stratum, then the USCCs of those drawn (ADR 0124);
      // the verifier runs the same steps from the published text (runDraw).
      const frozen = await readStrata(manager, taskId);
      if (!frozen) throw new Error(`task ${taskId} is pool_frozen without a frozen pool`);
      const { pool, drawInput } = frozen;
      let outcome: DrawOutcome;
      try {
        const { picked, strata } = drawTargets(pool, seed, drawInput.ratiosBp);
        const usccs = await readUsccs(manager, taskId, picked);
        const entities = picked.map((i, k) => ({ uscc: usccs[k], stratum: STRATA[pool.strata[i]] }));
        outcome = completeDraw(entities, strata, { seed, ...drawInput });
      } catch (error) {
        if (!(error instanceof DrawShortfall)) throw error;
        throw inspectionError('INSPECTOR_SHORTFALL', error.message, {
          total: error.shortfalls.length,
          shortfalls: error.shortfalls.slice(0, LISTED_SHORTFALLS),
        });
      }
      const now = new Date();
      const deadline = workingDayDeadline(now, this.config.CHECK_WORKING_DAYS);
      const leadDays = this.config.CHECK_WORKING_DAYS - this.config.CHECK_REMINDER_WORKING_DAYS;
      const remindAt = leadDays >= 1 ? workingDayDeadline(now, leadDays) : now;
      await manager.query(`UPDATE task_draw SET seed = $2, drawn_at = $3, digest = $4, result = $5, strata = $6 WHERE id = $1`, [
        round.id,
        seed,
        now,
        outcome.digest,
        outcome.result,
        JSON.stringify(outcome.strata),
      ]);
      await manager.query(`UPDATE inspection_check SET status = 'superseded' WHERE task_id = $1 AND status = 'pending'`, [taskId]);
      // Each chunk as one JSON parameter, ids made by PostgreSQL: array parameters of 10,000 texts each, and
      // a UUID string per check, were most of what a draw of 50,000 allocated (ADR 0124).
      for (let i = 0; i < outcome.targets.length; i += 10_000) {
        await manager.query(
          `INSERT INTO inspection_check (id, task_id, draw_id, uscc, stratum, inspectors, status, deadline, remind_at)
           SELECT gen_random_uuid(), $1, $2, x.uscc, x.stratum, x.inspectors, 'pending', $3, $4
           FROM jsonb_to_recordset($5::jsonb) AS x(uscc text, stratum text, inspectors jsonb)`,
          [taskId, round.id, deadline, remindAt, JSON.stringify(outcome.targets.slice(i, i + 10_000))],
        );
      }
      await manager.query(`UPDATE inspection_task SET status = 'drawn', updated_at = now() WHERE id = $1`, [taskId]);
      const [register]: { entities: number; key: number }[] = await manager.query(
        `SELECT count(*)::int AS entities, count(*) FILTER (WHERE key_supervision)::int AS key FROM target_entity WHERE status = 'active'`,
      );
      await this.outbox.add(manager, InspectionTaskDrawnV1, {
        subject: inspectionTaskSubject(taskId),
        correlationId: taskId,
        data: {
          inspectionTaskId: taskId,
          taskReference: task.reference,
          ...(task.planId ? { planId: task.planId } : {}),
          title: task.title,
          leadDepartment: task.leadDepartment,
          departments: task.teams.map((team) => team.department),
          round: round.round,
          drawnAt: now.toISOString(),
          checkDeadline: deadline.toISOString(),
          poolByStratum: perStratum(outcome.strata, 'poolSize'),
          drawnByStratum: perStratum(outcome.strata, 'drawn'),
          registerEntities: register.entities,
          registerKeyEntities: register.key,
        },
      });
      return { draw: { ...round, seed, drawnAt: now, digest: outcome.digest }, outcome };
    });
  }
}

function perStratum(strata: StratumFigures[], figure: 'poolSize' | 'drawn'): StratumCountsV1 {
  const counts: StratumCountsV1 = { A: 0, B: 0, C: 0, D: 0, K: 0 };
  for (const row of strata) counts[row.stratum] = row[figure];
  return counts;
}
