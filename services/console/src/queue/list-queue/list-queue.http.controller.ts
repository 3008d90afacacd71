import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, encodeCursor, SERVICE_CONFIG } from '@backbone/platform';
import type { ConsoleConfig } from '../../console.config';

import { scopedDepartment } from '../../scope';
import { PageConditions } from '../page-statement';
import { ListQueueQuery } from './list-queue.request.dto';

/**
 * A department's work queue, from the read model: its current tasks, the nearest claim deadline first
 * (so the overdue ones, oldest first, lead), with a cursor instead of a row cap.
 */
@ApiTags('queue')
@Controller('queue')
export class ListQueueHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: "A department's tasks (its own; operators: any or all), by claim deadline, cursor-paginated" })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListQueueQuery) {
    const department = scopedDepartment(this.config, caller.department, query.department);
    const { text, params, limit } = queueStatement(department, query, new Date());
    const rows: any[] = await this.dataSource.query(text, params);
    const page = rows.slice(0, limit);
    const now = Date.now();
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({ ...row, overdue: row.status === 'assigned' && new Date(row.claimDeadline).getTime() < now })),
      next: rows.length > limit && last ? encodeCursor([new Date(last.claimDeadline).toISOString(), last.taskId]) : null,
    };
  }
}

/**
 * The queue's statement for a department (or all) and the filters: its current tasks by claim deadline,
 * a page (and one more, to know there is a next) after the cursor. The lists the work bench refreshes
 * every 10 s are each found by an index in that order, and a department's by one that starts with it
 * (ADR 0084): unclaimed or overdue by `task_assignment_open`, claimed by `task_assignment_claimed` and
 * `task_assignment_claimed_department`, escalated by `task_assignment_escalated` and
 * `task_assignment_escalated_department`.
 */
export function queueStatement(
  department: string | undefined,
  query: ListQueueQuery,
  now: Date,
): { text: string; params: unknown[]; limit: number } {
  const limit = query.limit ?? 50;
  const where = new PageConditions('a.current');
  if (department) where.add('a.department = ?', department);
  if (query.status) where.add('a.status = ?', query.status);
  if (query.overdue !== undefined)
    where.add(
      query.overdue ? `a.status = 'assigned' AND a.claim_deadline < ?` : `NOT (a.status = 'assigned' AND a.claim_deadline < ?)`,
      now,
    );
  if (query.escalated !== undefined) where.add(query.escalated ? 'a.escalated_at IS NOT NULL' : 'a.escalated_at IS NULL');
  if (query.itemCode) where.add('a.item_code = ?', query.itemCode);
  if (query.regionCode) where.add('f.region_code = ?', query.regionCode);
  where.after(['a.claim_deadline', 'a.task_id'], query.cursor);
  return {
    text: `SELECT a.task_id AS "taskId", a.approval_id AS "approvalId", a.uscc, f.entity_name AS "entityName", a.item_code AS "itemCode",
              f.region_code AS "regionCode", f.approver_department AS "approverDepartment", a.department, a.routing_rule AS "routingRule",
              a.status, a.seq > 1 AS rerouted, a.assigned_at AS "assignedAt", a.claim_deadline AS "claimDeadline",
              a.claimed_at AS "claimedAt", a.claim_handler AS handler, a.reminded_at AS "remindedAt", a.escalated_at AS "escalatedAt",
              a.returned_at AS "returnedAt", a.return_reason AS "returnReason", a.closed_at AS "closedAt"
       FROM task_assignment a LEFT JOIN approval_fact f ON f.approval_id = a.approval_id
       WHERE ${where.where}
       ORDER BY a.claim_deadline, a.task_id LIMIT ${where.limit(limit)}`,
    params: where.params,
    limit,
  };
}
