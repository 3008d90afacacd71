import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { inspectionError } from '../../inspection.errors';
import { lockTaskForLead } from '../../tasks/task-access';
import { assertTaskTransition } from '../../tasks/task-transitions';

export class RedrawTaskRequest {
  @ApiProperty({ description: 'Why the first draw does not stand (recorded and published)', example: '抽取后发现名录库数据错误' })
  @IsString()
  @Length(5, 1000)
  reason: string;
  @ApiProperty({ description: 'SHA-256 of the new seed' }) @Matches(/^[0-9a-f]{64}$/) seedCommitment: string;
}

/**
 * A second draw of the same task, on the same frozen pool, with a recorded reason and a new seed
 * commitment; possible only before any result was recorded. Both draws stay visible.
 */
@ApiTags('tasks')
@Controller('tasks')
export class RedrawTaskHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Post(':id/redraws')
  @HttpCode(200)
  @ApiOperation({ summary: 'Opens another draw round with a recorded reason and a new seed commitment (lead department)' })
  redraw(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string, @Body() request: RedrawTaskRequest) {
    return this.dataSource.transaction(async (manager) => {
      const task = await lockTaskForLead(manager, id, caller.department);
      assertTaskTransition(task.status, 'pool_frozen');
      if (task.status !== 'drawn')
        throw inspectionError('ILLEGAL_TASK_TRANSITION', `task ${id} is ${task.status}: only a drawn task is drawn again`);
      const [{ results }] = await manager.query(`SELECT count(*)::int AS results FROM inspection_result WHERE task_id = $1`, [id]);
      if (results > 0) {
        throw inspectionError('ILLEGAL_TASK_TRANSITION', `task ${id} has ${results} result(s) recorded: it cannot be drawn again`);
      }
      const [{ round }] = await manager.query(`SELECT max(round)::int + 1 AS round FROM task_draw WHERE task_id = $1`, [id]);
      await manager.query(`INSERT INTO task_draw (id, task_id, round, seed_commitment, reason) VALUES ($1, $2, $3, $4, $5)`, [
        randomUUID(),
        id,
        round,
        request.seedCommitment,
        request.reason,
      ]);
      await manager.query(`UPDATE inspection_task SET status = 'pool_frozen', updated_at = now() WHERE id = $1`, [id]);
      return { taskId: id, status: 'pool_frozen', round, seedCommitment: request.seedCommitment, reason: request.reason };
    });
  }
}
