import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { IsUscc } from '@backbone/contracts';
import {
  Caller,
  CurrentCaller,
  decodeCursor,
  encodeCursor,
  ForbiddenError,
  isOperator,
  MAX_PAGE_SIZE,
  NEXT_CURSOR_HEADER,
  NotFoundError,
  PageQuery,
  Roles,
} from '@backbone/platform';
import { SupervisionTask, UnroutedApproval } from '../supervision-task.entity';
import { TASK_STATUSES, TaskStatus } from '../task-transitions';
import { taskView } from '../task.view';
import { SupervisionConfig } from '../../supervision.config';
import { SupervisionError } from '../../supervision.errors';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

class ListTasksQuery extends PageQuery {
  @ApiPropertyOptional({
    description:
      'Assigned (supervising) department. Operators: any; other departments: only their own. ' +
      'Absent: operators see all tasks, a department the tasks it supervises or approved',
  })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  department?: string;

  @ApiPropertyOptional({ description: 'Approving department (same scoping as `department`)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  approverDepartment?: string;

  @ApiPropertyOptional({ enum: TASK_STATUSES }) @IsOptional() @IsIn(TASK_STATUSES) status?: TaskStatus;

  @ApiPropertyOptional({ description: 'true: only unclaimed tasks past their claim deadline; false: all others' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'overdue: must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'Approval item code (审批事项)' }) @IsOptional() @IsString() @Length(1, 64) itemCode?: string;

  @ApiPropertyOptional({ description: 'Administrative division code (six digits)' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'regionCode: must be a six-digit division code' })
  regionCode?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() approvalId?: string;
  @ApiPropertyOptional({ description: 'USCC of the entity' }) @IsOptional() @IsUscc() uscc?: string;
}

class ListUnroutedQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'true: also those routed since (with their task id)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'includeRouted: must be true or false' })
  includeRouted?: boolean;
}

const NEXT_PAGE = {
  description: `One page as a JSON array; when more rows follow, the ${NEXT_CURSOR_HEADER} header carries the cursor of the next page (also in a Link rel="next")`,
  headers: {
    [NEXT_CURSOR_HEADER]: { description: 'Opaque cursor of the next page (absent on the last page)', schema: { type: 'string' } },
    Link: { description: '<…?cursor=…>; rel="next" (absent on the last page)', schema: { type: 'string' } },
  },
};

/** The row id a cursor names (the sort key is read back from that row). */
function cursorRow(cursor: string): string {
  const [id] = decodeCursor(cursor, 1);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return decodeCursor('', 1)[0];
  return id;
}

/**
 * Lists answer a bare JSON array (as they always have, so agencies' clients keep working); the cursor
 * of the next page travels in a header. Order is stable (a unique sort key), so paging never repeats
 * or skips a row, and any depth is one index range scan.
 */
function sendPage<T>(response: Response, filters: Record<string, unknown>, rows: T[], limit: number, key: (row: T) => string): T[] {
  const page = rows.slice(0, limit);
  if (rows.length > limit && page.length > 0) {
    const cursor = encodeCursor([key(page[page.length - 1])]);
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) if (name !== 'cursor' && value !== undefined) query.set(name, String(value));
    query.set('cursor', cursor);
    response.setHeader(NEXT_CURSOR_HEADER, cursor);
    // A query-only reference: it resolves against the path the client called, behind the gateway too.
    response.setHeader('Link', `<?${query}>; rel="next"`);
  }
  return page;
}

@ApiTags('tasks')
@Controller()
export class GetTaskHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: SupervisionConfig,
  ) {}

  /** A task is read by its two parties (the supervising and the approving department) and the operators. */
  @Get('tasks/:id')
  @ApiOperation({ summary: 'A task of the caller (supervising or approving department; operators: any)' })
  async get(@CurrentCaller() caller: Caller, @Param('id', new ParseUUIDPipe()) id: string) {
    const task = await this.dataSource.getRepository(SupervisionTask).findOneBy({ id });
    const party = task && [task.assignedDepartment, task.approverDepartment].includes(caller.department);
    if (!task || !(party || isOperator(this.config, caller.department))) throw new NotFoundError('task', id);
    return taskView(task);
  }

  @Get('tasks')
  @ApiOperation({
    summary:
      "A department's work queue: the caller's tasks (operators: any department's) by assigned or approving department, status, " +
      'overdue, item, region, approval or entity; newest first, cursor-paginated (default 500 a page)',
  })
  @ApiOkResponse(NEXT_PAGE)
  async list(@CurrentCaller() caller: Caller, @Query() query: ListTasksQuery, @Res({ passthrough: true }) response: Response) {
    const operator = isOperator(this.config, caller.department);
    for (const [field, requested] of [
      ['department', query.department],
      ['approverDepartment', query.approverDepartment],
    ] as const) {
      if (requested && !operator && requested !== caller.department)
        throw new ForbiddenError(
          SupervisionError.OWN_DEPARTMENT_ONLY,
          `${field}: ${caller.department} may list its own tasks only, not ${requested}'s`,
        );
    }
    const limit = query.limit ?? MAX_PAGE_SIZE;
    const builder = this.dataSource.getRepository(SupervisionTask).createQueryBuilder('t');
    if (query.department) builder.andWhere('t.assigned_department = :department', { department: query.department });
    if (query.approverDepartment) builder.andWhere('t.approver_department = :approver', { approver: query.approverDepartment });
    if (!operator && !query.department && !query.approverDepartment)
      builder.andWhere('(t.assigned_department = :own OR t.approver_department = :own)', { own: caller.department });
    if (query.status) builder.andWhere('t.status = :status', { status: query.status });
    if (query.overdue !== undefined)
      builder.andWhere(
        query.overdue ? `(t.status = 'assigned' AND t.claim_deadline < :now)` : `NOT (t.status = 'assigned' AND t.claim_deadline < :now)`,
        { now: new Date() },
      );
    if (query.itemCode) builder.andWhere('t.item_code = :itemCode', { itemCode: query.itemCode });
    if (query.regionCode) builder.andWhere('t.region_code = :regionCode', { regionCode: query.regionCode });
    if (query.approvalId) builder.andWhere('t.approval_id = :approvalId', { approvalId: query.approvalId });
    if (query.uscc) builder.andWhere('t.uscc = :uscc', { uscc: query.uscc });
    if (query.cursor) {
      // The sort key is read back from the row itself: created_at keeps microseconds a JavaScript date would lose.
      builder.andWhere('(t.created_at, t.id) < (SELECT c.created_at, c.id FROM supervision_task c WHERE c.id = :after)', {
        after: cursorRow(query.cursor),
      });
    }
    const tasks = await builder
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .take(limit + 1)
      .getMany();
    return sendPage(response, { ...query }, tasks, limit, (task) => task.id).map(taskView);
  }

  @Get('unrouted-approvals')
  @Roles('operator', 'catalog-admin')
  @ApiOperation({
    summary:
      'Approvals no catalog entry covers (the supervision vacuum), oldest first; routed ones only on request; cursor-paginated (default 500 a page)',
  })
  @ApiOkResponse(NEXT_PAGE)
  async unrouted(@Query() query: ListUnroutedQuery, @Res({ passthrough: true }) response: Response) {
    const limit = query.limit ?? MAX_PAGE_SIZE;
    const builder = this.dataSource.getRepository(UnroutedApproval).createQueryBuilder('u');
    if (!query.includeRouted) builder.andWhere('u.routed_at IS NULL');
    if (query.cursor) {
      builder.andWhere(
        '(u.recorded_at, u.approval_id) > (SELECT c.recorded_at, c.approval_id FROM unrouted_approval c WHERE c.approval_id = :after)',
        {
          after: cursorRow(query.cursor),
        },
      );
    }
    const rows = await builder
      .orderBy('u.recorded_at', 'ASC')
      .addOrderBy('u.approval_id', 'ASC')
      .take(limit + 1)
      .getMany();
    return sendPage(response, { ...query }, rows, limit, (row) => row.approvalId).map(({ approval: _approval, ...row }) => ({
      ...row,
      kind: _approval?.kind ?? null,
    }));
  }
}
