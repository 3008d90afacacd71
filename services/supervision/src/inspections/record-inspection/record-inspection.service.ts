import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inspectionResultOf, InspectionRecordedV2 } from '@backbone/contracts';
import { Outbox } from '@backbone/messaging';
import { DomainError, NotFoundError } from '@backbone/platform';
import { SupervisionTask } from '../../tasks/supervision-task.entity';
import { Inspection } from '../inspection.entity';
import type { RecordInspectionRequest } from './record-inspection.request.dto';
import { SupervisionError } from '../../supervision.errors';

/** Records an inspection result; violations flow on to enforcement, credit and the approver. */
@Injectable()
export class RecordInspectionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
  ) {}

  record(department: string, request: RecordInspectionRequest): Promise<Inspection> {
    if (request.result === 'non_compliant' && (request.violations ?? []).length === 0) {
      throw new DomainError(SupervisionError.VIOLATIONS_REQUIRED, 'violations: a non_compliant result names at least one violation', 422);
    }
    if (request.result === 'compliant' && (request.violations ?? []).length > 0) {
      throw new DomainError(SupervisionError.VIOLATIONS_ON_COMPLIANT_RESULT, 'violations: must be empty when result is compliant', 422);
    }
    const category = request.category ?? (request.result === 'compliant' ? 'no_problem' : 'further_handling');
    if (inspectionResultOf(category) !== request.result) {
      throw new DomainError(SupervisionError.CATEGORY_RESULT_MISMATCH, `category: ${category} is not a ${request.result} result`, 422);
    }
    return this.dataSource.transaction(async (manager) => {
      let task: SupervisionTask | null = null;
      if (request.taskId) {
        task = await manager.findOneBy(SupervisionTask, { id: request.taskId });
        if (!task) throw new NotFoundError('task', request.taskId);
        task.assertAssignedTo(department);
        if (task.uscc !== request.uscc) {
          throw new DomainError(
            SupervisionError.TASK_ENTITY_MISMATCH,
            `uscc: task ${task.id} supervises ${task.uscc}, not ${request.uscc}`,
            400,
          );
        }
      }
      const inspection = manager.create(Inspection, {
        id: randomUUID(),
        taskId: task?.id ?? null,
        approvalId: task?.approvalId ?? null,
        correlationId: task?.correlationId ?? randomUUID(),
        uscc: request.uscc,
        department,
        inspector: request.inspector,
        result: request.result,
        violations: (request.violations ?? []).map(({ code, description }) => ({ code, description })),
        inspectedAt: request.inspectedAt ? new Date(request.inspectedAt) : new Date(),
      });
      await manager.insert(Inspection, inspection);
      // The one inspection-result contract (v2), shared with random inspections.
      await this.outbox.add(manager, InspectionRecordedV2, {
        subject: inspection.uscc,
        correlationId: inspection.correlationId,
        data: {
          inspectionId: inspection.id,
          programme: 'ad_hoc',
          ...(inspection.taskId ? { supervisionTaskId: inspection.taskId } : {}),
          ...(inspection.approvalId ? { approvalId: inspection.approvalId } : {}),
          uscc: inspection.uscc,
          department,
          inspectors: [inspection.inspector],
          category,
          result: inspection.result,
          violations: inspection.violations,
          itemCodes: task ? [task.itemCode] : [],
          evidenceRefs: request.evidenceRefs ?? [],
          inspectedAt: inspection.inspectedAt.toISOString(),
        },
      });
      return inspection;
    });
  }
}
