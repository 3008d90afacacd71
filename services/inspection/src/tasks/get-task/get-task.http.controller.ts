import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource, Not } from 'typeorm';
import { NotFoundError, OneOfPipe } from '@backbone/platform';
import { InspectionCheck, InspectionTask, TaskDraw, TaskPool } from '../inspection-task.entity';
import { taskView } from '../task.view';

@ApiTags('tasks')
@Controller('tasks')
export class GetTaskHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get(':id')
  @ApiOperation({ summary: 'A task with its pool hash, draw rounds and check counts' })
  async get(@Param('id', ParseUUIDPipe) id: string) {
    const task = await this.dataSource.getRepository(InspectionTask).findOneBy({ id });
    if (!task) throw new NotFoundError('task', id);
    const pool = await this.dataSource.getRepository(TaskPool).findOne({ where: { taskId: id }, select: ['poolHash', 'size', 'frozenAt'] });
    const draws = await this.dataSource.getRepository(TaskDraw).find({
      where: { taskId: id },
      order: { round: 'ASC' },
      select: ['round', 'seedCommitment', 'seed', 'reason', 'committedAt', 'drawnAt', 'digest', 'strata'],
    });
    const counts: { status: string; n: number }[] = await this.dataSource.query(
      `SELECT status, count(*)::int AS n FROM inspection_check WHERE task_id = $1 GROUP BY status`,
      [id],
    );
    return {
      ...taskView(task),
      pool: pool ? { poolHash: pool.poolHash, poolSize: pool.size, frozenAt: pool.frozenAt.toISOString() } : null,
      draws,
      checks: Object.fromEntries(counts.map(({ status, n }) => [status, n])),
    };
  }

  @Get(':id/checks')
  @ApiOperation({ summary: "The task's current checks (one per drawn entity; those of an earlier draw with status=superseded)" })
  async checks(
    @Param('id', ParseUUIDPipe) id: string,
    @Query('status', new OneOfPipe(['pending', 'done', 'superseded'] as const)) status?: InspectionCheck['status'],
  ) {
    const checks = await this.dataSource.getRepository(InspectionCheck).find({
      where: { taskId: id, status: status ? status : Not<InspectionCheck['status']>('superseded') },
      order: { uscc: 'ASC' },
    });
    return {
      checks: checks.map((check) => ({
        id: check.id,
        uscc: check.uscc,
        stratum: check.stratum,
        inspectors: check.inspectors,
        status: check.status,
        deadline: check.deadline.toISOString(),
        remindedAt: check.remindedAt?.toISOString() ?? null,
        escalatedAt: check.escalatedAt?.toISOString() ?? null,
        completedAt: check.completedAt?.toISOString() ?? null,
      })),
    };
  }
}
