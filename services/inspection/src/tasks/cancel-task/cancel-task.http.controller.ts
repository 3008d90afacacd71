import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { lockTaskForLead } from '../task-access';
import { assertTaskTransition } from '../task-transitions';

@ApiTags('tasks')
@Controller('tasks')
export class CancelTaskHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancels a task before any draw (lead department)' })
  cancel(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string) {
    return this.dataSource.transaction(async (manager) => {
      const task = await lockTaskForLead(manager, id, caller.department);
      assertTaskTransition(task.status, 'cancelled');
      await manager.query(`UPDATE inspection_task SET status = 'cancelled', updated_at = now() WHERE id = $1`, [id]);
      return { taskId: id, status: 'cancelled' };
    });
  }
}
