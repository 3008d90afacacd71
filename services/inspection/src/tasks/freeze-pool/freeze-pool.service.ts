import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { effectiveRatios } from '../../draws/draw-ratios';
import { warningsOverPool, withWarningMultipliers } from '../../risk-warnings/warning-multipliers';
import { InspectionConfig } from '../../inspection.config';
import { inspectionError } from '../../inspection.errors';
import { PublishedDrawInput, TaskPool } from '../inspection-task.entity';
import { lockTaskForLead } from '../task-access';
import { assertTaskTransition } from '../task-transitions';
import { poolCondition } from './pool-filter';

/** A frozen pool as the freeze answers it: all of it but the canonical text (GET /public/tasks/{id}/pool). */
export type FrozenPool = Omit<TaskPool, 'canonical'>;

/**
 * Freezes a task's pool: the canonical text (built by PostgreSQL in USCC byte order), its SHA-256, the
 * effective ratios, the inspector side (inspectors, conflicts, last teams) and the seed commitment,
 * all in one transaction and all public from then on. The draw reads only what is frozen here. Active
 * risk warnings whose scope meets the pool raise the ratios (docs/domain.md §8); the raised ratios are
 * frozen with the pool, so the draw stays verifiable from public data.
 */
@Injectable()
export class FreezePoolService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: InspectionConfig,
  ) {}

  freeze(department: string, taskId: string, seedCommitment: string): Promise<FrozenPool> {
    return this.dataSource.transaction(async (manager) => {
      const task = await lockTaskForLead(manager, taskId, department);
      if (task.status !== 'created') {
        throw inspectionError('ILLEGAL_TASK_TRANSITION', `task ${taskId} is ${task.status}: its pool is frozen once, when it is created`);
      }
      assertTaskTransition(task.status, 'pool_frozen');
      const warnings = await warningsOverPool(
        manager,
        poolCondition(task, 1, this.config.RED_LIST_INSPECTION_INTERVAL_DAYS),
        this.config.riskWarningRatios,
        new Date(),
      );
      const ratiosBp = effectiveRatios(this.config.ratios, task.items, withWarningMultipliers(task.multipliers, warnings));
      const where = poolCondition(task, 2, this.config.RED_LIST_INSPECTION_INTERVAL_DAYS);
      const departments = task.teams.map((team) => team.department);
      const inspectors: PublishedDrawInput['inspectors'] = await manager.query(
        `SELECT id::text AS id, department FROM inspector WHERE active AND NOT expert AND department = ANY ($1::text[]) ORDER BY id`,
        [departments],
      );
      const conflicts: PublishedDrawInput['conflicts'] = await manager.query(
        `SELECT c.uscc, c.inspector_id::text AS "inspectorId" FROM inspector_conflict c JOIN target_entity t ON t.uscc = c.uscc
         WHERE c.inspector_id = ANY ($1::uuid[]) AND ${where.sql} ORDER BY c.uscc COLLATE "C", c.inspector_id`,
        [inspectors.map((inspector) => inspector.id), ...where.params],
      );
      const lastTeams: PublishedDrawInput['lastTeams'] = await manager.query(
        `SELECT t.uscc, t.last_inspectors AS "inspectorIds" FROM target_entity t
         WHERE cardinality(t.last_inspectors) >= 2 AND ${where.sql} AND $1::boolean ORDER BY t.uscc COLLATE "C"`,
        [true, ...where.params],
      );
      const drawInput: PublishedDrawInput = {
        ratiosBp,
        teams: task.teams.map(({ department: d, inspectorsPerEntity }) => ({ department: d, inspectorsPerEntity })),
        inspectors,
        conflicts,
        lastTeams,
      };
      const frozenAt = new Date();
      // The canonical text is built, hashed (SHA-256 of its UTF-8 bytes, as poolHash) and stored by
      // PostgreSQL in one statement: a million entities' text never passes through this process (ADR 0124).
      const poolWhere = poolCondition(task, 4, this.config.RED_LIST_INSPECTION_INTERVAL_DAYS);
      const [frozen]: { poolHash: string; size: number }[] = await manager.query(
        `INSERT INTO task_pool (task_id, canonical, pool_hash, size, draw_input, frozen_at)
         SELECT $1, p.canonical, encode(sha256(convert_to(p.canonical, 'UTF8')), 'hex'), p.size, $2::jsonb, $3
           FROM (SELECT coalesce(string_agg(t.uscc || E'\\t' || CASE WHEN t.key_supervision THEN 'K' WHEN 'higher_inspection_ratio' = ANY (t.credit_measures) THEN 'D' ELSE t.credit_tier END || E'\\n', ''
                          ORDER BY t.uscc COLLATE "C"), '') AS canonical, count(*)::int AS size
                   FROM target_entity t WHERE ${poolWhere.sql}) p
         RETURNING pool_hash AS "poolHash", size`,
        [taskId, JSON.stringify(drawInput), frozenAt, ...poolWhere.params],
      );
      const pool: FrozenPool = { taskId, poolHash: frozen.poolHash, size: frozen.size, drawInput, frozenAt };
      await manager.query(`INSERT INTO task_draw (id, task_id, round, seed_commitment) VALUES ($1, $2, 1, $3)`, [
        randomUUID(),
        taskId,
        seedCommitment,
      ]);
      await manager.query(
        `UPDATE inspection_task SET status = 'pool_frozen', ratios = $2, risk_warnings = $3, updated_at = now() WHERE id = $1`,
        [taskId, JSON.stringify(ratiosBp), JSON.stringify(warnings)],
      );
      return pool;
    });
  }
}
