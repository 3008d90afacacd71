import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsBooleanString, IsIn, IsOptional, IsUUID } from 'class-validator';
import { DataSource, IsNull } from 'typeorm';
import { IsUscc } from '@backbone/contracts';
import { NotFoundError } from '@backbone/platform';
import { SupervisionTask, UnroutedApproval } from '../supervision-task.entity';
import { TASK_STATUSES, TaskStatus } from '../task-transitions';
import { taskView } from '../task.view';

class ListTasksQuery {
  @IsOptional() @IsUUID() approvalId?: string;
  @IsOptional() @IsUscc() uscc?: string;
  @IsOptional() @IsIn(TASK_STATUSES) status?: TaskStatus;
}

class ListUnroutedQuery {
  /** 'true': also those routed since (with their task id). */
  @IsOptional() @IsBooleanString() includeRouted?: string;
}

@ApiTags('tasks')
@Controller()
export class GetTaskHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get('tasks/:id')
  async get(@Param('id', new ParseUUIDPipe()) id: string) {
    const task = await this.dataSource.getRepository(SupervisionTask).findOneBy({ id });
    if (!task) throw new NotFoundError('task', id);
    return taskView(task);
  }

  @Get('tasks')
  @ApiOperation({ summary: 'Tasks by approval, entity or status, newest first (at most 500)' })
  async list(@Query() query: ListTasksQuery) {
    const tasks = await this.dataSource.getRepository(SupervisionTask).find({
      where: {
        ...(query.approvalId ? { approvalId: query.approvalId } : {}),
        ...(query.uscc ? { uscc: query.uscc } : {}),
        ...(query.status ? { status: query.status } : {}),
      },
      order: { createdAt: 'DESC' },
      take: 500,
    });
    return tasks.map(taskView);
  }

  @Get('unrouted-approvals')
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
