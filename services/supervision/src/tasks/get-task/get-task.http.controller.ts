import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DataSource, FindOptionsWhere, IsNull } from 'typeorm';
import { IsUscc } from '@backbone/contracts';
import { Caller, CurrentCaller, isOperator, NotFoundError, Roles } from '@backbone/platform';
import { SupervisionTask, UnroutedApproval } from '../supervision-task.entity';
import { TASK_STATUSES, TaskStatus } from '../task-transitions';
import { taskView } from '../task.view';
import { SupervisionConfig } from '../../supervision.config';

class ListTasksQuery {
  @IsOptional() @IsUUID() approvalId?: string;
  @IsOptional() @IsUscc() uscc?: string;
  @IsOptional() @IsIn(TASK_STATUSES) status?: TaskStatus;
}

class ListUnroutedQuery {
  /** 'true': also those routed since (with their task id). */
  @IsOptional() @IsIn(['true', 'false']) includeRouted?: 'true' | 'false';
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
      "The caller's tasks (supervising or approving department; operators: all) by approval, entity or status, newest first (at most 500)",
  })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListTasksQuery) {
    const filter: FindOptionsWhere<SupervisionTask> = {
      ...(query.approvalId ? { approvalId: query.approvalId } : {}),
      ...(query.uscc ? { uscc: query.uscc } : {}),
      ...(query.status ? { status: query.status } : {}),
    };
    const where = isOperator(this.config, caller.department)
      ? filter
      : [
          { ...filter, assignedDepartment: caller.department },
          { ...filter, approverDepartment: caller.department },
        ];
    const tasks = await this.dataSource.getRepository(SupervisionTask).find({
      where,
      order: { createdAt: 'DESC' },
      take: 500,
    });
    return tasks.map(taskView);
  }

  @Get('unrouted-approvals')
  @Roles('operator', 'catalog-admin')
  @ApiOperation({ summary: 'Approvals no catalog entry covers (the supervision vacuum), oldest first; routed ones only on request' })
  async unrouted(@Query() query: ListUnroutedQuery) {
    const rows = await this.dataSource.getRepository(UnroutedApproval).find({
      where: query.includeRouted === 'true' ? {} : { routedAt: IsNull() },
      order: { recordedAt: 'ASC' },
      take: 500,
    });
    return rows.map(({ approval: _approval, ...row }) => ({ ...row, kind: _approval?.kind ?? null }));
  }
}
