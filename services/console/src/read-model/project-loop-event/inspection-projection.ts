import type { EntityManager } from 'typeorm';
import {
  Envelope,
  INSPECTION_STRATA,
  InspectionPlanPublishedV1,
  InspectionResultPublishedV1,
  InspectionResultRecordedV1,
  InspectionTaskDrawnV1,
} from '@backbone/contracts';

type Projector = (manager: EntityManager, data: any, envelope: Envelope) => Promise<unknown>;

/**
 * How the random-inspection events move the read model (ADR 0041). A task's draw and its results come
 * under different subjects (the task, the entity), so either may arrive first: nothing here needs the
 * other's row, the figures join them when read. A result's publication follows its recording (same
 * producer, same subject).
 */
export const INSPECTION_PROJECTIONS: Record<string, Projector> = {
  [InspectionPlanPublishedV1.type]: (m, d: InspectionPlanPublishedV1) =>
    m.query(
      `INSERT INTO inspection_plan_fact (plan_id, department, year, title, published_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (plan_id) DO NOTHING`,
      [d.planId, d.department, d.year, d.title, d.publishedAt],
    ),
  // The current round replaces an earlier one (its checks were superseded before any result).
  [InspectionTaskDrawnV1.type]: async (m, d: InspectionTaskDrawnV1) => {
    const [kept]: unknown[] = await m.query(
      `INSERT INTO inspection_task_fact (task_id, reference, plan_id, title, lead_department, departments, round, drawn_at, check_deadline,
         register_entities, register_key_entities)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (task_id) DO UPDATE SET round = EXCLUDED.round, drawn_at = EXCLUDED.drawn_at, check_deadline = EXCLUDED.check_deadline,
         departments = EXCLUDED.departments, register_entities = EXCLUDED.register_entities,
         register_key_entities = EXCLUDED.register_key_entities
       WHERE inspection_task_fact.round < EXCLUDED.round
       RETURNING task_id`,
      [
        d.inspectionTaskId,
        d.taskReference,
        d.planId ?? null,
        d.title,
        d.leadDepartment,
        d.departments,
        d.round,
        d.drawnAt,
        d.checkDeadline,
        d.registerEntities,
        d.registerKeyEntities,
      ],
    );
    if (!kept) return;
    await m.query(`DELETE FROM inspection_task_stratum WHERE task_id = $1`, [d.inspectionTaskId]);
    await m.query(
      `INSERT INTO inspection_task_stratum (task_id, stratum, pool, drawn) SELECT $1, unnest($2::text[]), unnest($3::int[]), unnest($4::int[])`,
      [
        d.inspectionTaskId,
        INSPECTION_STRATA,
        INSPECTION_STRATA.map((s) => d.poolByStratum[s]),
        INSPECTION_STRATA.map((s) => d.drawnByStratum[s]),
      ],
    );
  },
  [InspectionResultRecordedV1.type]: (m, d: InspectionResultRecordedV1) =>
    m.query(
      `INSERT INTO inspection_result_fact (result_id, check_id, task_id, uscc, department, stratum, category, inspected_at, recorded_at,
         publish_by, check_deadline, check_completed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (result_id) DO NOTHING`,
      [
        d.resultId,
        d.checkId,
        d.inspectionTaskId,
        d.uscc,
        d.department,
        d.stratum,
        d.category,
        d.inspectedAt,
        d.recordedAt,
        d.publishBy,
        d.checkDeadline,
        d.checkCompletedAt ?? null,
      ],
    ),
  [InspectionResultPublishedV1.type]: (m, d: InspectionResultPublishedV1) =>
    m.query(`UPDATE inspection_result_fact SET published_at = $2, publish_by = $3 WHERE result_id = $1 AND published_at IS NULL`, [
      d.resultId,
      d.publishedAt,
      d.publishBy,
    ]),
};
