import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import {
  CATEGORIES_WITH_VIOLATIONS,
  inspectionResultOf,
  InspectionRecordedV2,
  InspectionResultRecordedV1,
  InspectionStratum,
} from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { NotFoundError, workingDayDeadline } from '@backbone/platform';
import { InspectionConfig } from '../../inspection.config';
import { inspectionError } from '../../inspection.errors';
import { Inspector } from '../../inspectors/inspector.entity';
import { InspectionCheck, InspectionTask } from '../../tasks/inspection-task.entity';
import { assertTaskTransition } from '../../tasks/task-transitions';
import { InspectionResultRow } from '../inspection-result.entity';
import type { RecordResultRequest } from './record-result.request.dto';

/**
 * Records one department's result for a drawn entity and feeds it into the loop as the one
 * inspection-result contract (v2): enforcement, credit and the approver that issued the entity's
 * licence (with that approval's correlation id, so it joins the approval's trail). The pool learns the
 * inspection (last date, team, items). When every department has its result the check is done; when
 * every check is done the task is completed. The duty figures learn it as `result recorded` (check,
 * stratum, deadlines, whether it completed the check), in the same transaction.
 */
@Injectable()
export class RecordResultService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly config: InspectionConfig,
  ) {}

  record(department: string, taskId: string, uscc: string, request: RecordResultRequest): Promise<InspectionResultRow> {
    const violations = (request.violations ?? []).map(({ code, description }) => ({ code, description }));
    const needsViolations = CATEGORIES_WITH_VIOLATIONS.includes(request.category);
    if (needsViolations && violations.length === 0) {
      throw inspectionError('INVALID_RESULT', `violations: a ${request.category} result names at least one violation`);
    }
    if (!needsViolations && violations.length > 0) {
      throw inspectionError(
        'INVALID_RESULT',
        `violations: a ${request.category} result names none (only ${CATEGORIES_WITH_VIOLATIONS.join(', ')} do)`,
      );
    }
    return this.dataSource.transaction(async (manager) => {
      const task = await manager.findOne(InspectionTask, { where: { id: taskId }, lock: { mode: 'pessimistic_write' } });
      if (!task) throw new NotFoundError('task', taskId);
      const team = task.teams.find((candidate) => candidate.department === department);
      if (!team) {
        throw inspectionError(
          'DEPARTMENT_NOT_IN_TASK',
          `${department} is not one of the departments of task ${task.reference} (${task.teams.map((t) => t.department).join(', ')})`,
        );
      }
      const check = await manager.findOne(InspectionCheck, {
        where: { taskId, uscc, status: In<InspectionCheck['status']>(['pending', 'done']) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!check || (task.status !== 'drawn' && task.status !== 'completed')) {
        throw inspectionError('ENTITY_NOT_DRAWN', `uscc: ${uscc} was not drawn in the current draw of task ${task.reference}`);
      }
      if (await manager.existsBy(InspectionResultRow, { checkId: check.id, department })) {
        throw inspectionError(
          'RESULT_ALREADY_RECORDED',
          `${department} has recorded its result for ${uscc} in task ${task.reference} already`,
        );
      }
      const inspectorIds = check.inspectors.find((entry) => entry.department === department)?.inspectorIds ?? [];
      const names = await manager.find(Inspector, { where: { id: In(inspectorIds) }, select: ['id', 'name'] });
      const now = new Date();
      const result: InspectionResultRow = {
        id: randomUUID(),
        checkId: check.id,
        taskId,
        uscc,
        department,
        category: request.category,
        itemCodes: team.itemCodes,
        inspectorIds,
        findings: request.findings,
        violations,
        evidenceRefs: request.evidenceRefs ?? [],
        inspectedAt: request.inspectedAt ? new Date(request.inspectedAt) : now,
        recordedAt: now,
        publishBy: workingDayDeadline(now, this.config.PUBLICATION_WORKING_DAYS),
        publishedAt: null,
        withdrawAt: null,
        withdrawnAt: null,
      };
      await manager.insert(InspectionResultRow, result);

      // The licence the result concerns: one of the task's licence items if the entity holds one, else its newest.
      const [licence]: { approval_id: string; correlation_id: string }[] = await manager.query(
        `SELECT approval_id, correlation_id FROM target_licence WHERE uscc = $1 AND status IN ('active', 'suspended')
         ORDER BY (item_code = ANY ($2::text[])) DESC, decided_at DESC LIMIT 1`,
        [uscc, task.filters.licenceItemCodes],
      );
      await this.outbox.add(manager, InspectionRecordedV2, {
        subject: uscc,
        correlationId: licence?.correlation_id ?? randomUUID(),
        data: {
          inspectionId: result.id,
          programme: 'random',
          inspectionTaskId: taskId,
          taskReference: task.reference,
          ...(licence ? { approvalId: licence.approval_id } : {}),
          uscc,
          department,
          inspectors: inspectorIds.map((id) => names.find((inspector) => inspector.id === id)?.name ?? id),
          category: result.category,
          result: inspectionResultOf(result.category),
          violations,
          itemCodes: result.itemCodes,
          evidenceRefs: result.evidenceRefs,
          inspectedAt: result.inspectedAt.toISOString(),
        },
      });

      const wholeTeam = check.inspectors.flatMap((entry) => entry.inspectorIds);
      await manager.query(
        `UPDATE target_entity SET last_inspected_at = greatest(last_inspected_at, $2), last_inspectors = $3, updated_at = now() WHERE uscc = $1`,
        [uscc, result.inspectedAt, wholeTeam],
      );
      await manager.query(
        `INSERT INTO target_item_inspection (uscc, item_code, inspected_at) SELECT $1, unnest($2::text[]), $3
         ON CONFLICT (uscc, item_code) DO UPDATE SET inspected_at = greatest(target_item_inspection.inspected_at, EXCLUDED.inspected_at)`,
        [uscc, result.itemCodes, result.inspectedAt],
      );
      const [{ recorded }] = await manager.query(`SELECT count(*)::int AS recorded FROM inspection_result WHERE check_id = $1`, [check.id]);
      const checkCompleted = recorded === task.teams.length;
      await this.outbox.add(manager, InspectionResultRecordedV1, {
        subject: uscc,
        correlationId: taskId,
        data: {
          resultId: result.id,
          checkId: check.id,
          inspectionTaskId: taskId,
          taskReference: task.reference,
          uscc,
          department,
          stratum: check.stratum.trim() as InspectionStratum,
          category: result.category,
          inspectedAt: result.inspectedAt.toISOString(),
          recordedAt: now.toISOString(),
          publishBy: result.publishBy.toISOString(),
          checkDeadline: check.deadline.toISOString(),
          ...(checkCompleted ? { checkCompletedAt: now.toISOString() } : {}),
        },
      });
      if (checkCompleted) {
        await manager.query(`UPDATE inspection_check SET status = 'done', completed_at = $2 WHERE id = $1`, [check.id, now]);
        const [{ open }] = await manager.query(
          `SELECT count(*)::int AS open FROM inspection_check WHERE draw_id = $1 AND status = 'pending'`,
          [check.drawId],
        );
        if (open === 0 && task.status === 'drawn') {
          assertTaskTransition(task.status, 'completed');
          await manager.query(`UPDATE inspection_task SET status = 'completed', updated_at = now() WHERE id = $1`, [taskId]);
        }
      }
      return result;
    });
  }
}
