import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { Caller, CurrentCaller } from '@backbone/platform';
import { FreezePoolService } from './freeze-pool.service';

export class FreezePoolRequest {
  @ApiProperty({
    description: 'SHA-256 (lowercase hex) of the seed that will be revealed at the draw (commit–reveal)',
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  })
  @Matches(/^[0-9a-f]{64}$/, { message: 'seedCommitment must be 64 lowercase hex characters (SHA-256 of the seed)' })
  seedCommitment: string;
}

@ApiTags('tasks')
@Controller('tasks')
export class FreezePoolHttpController {
  constructor(private readonly service: FreezePoolService) {}

  @Post(':id/freeze')
  @HttpCode(200)
  @ApiOperation({ summary: 'Freezes the pool and publishes its hash with the seed commitment (lead department)' })
  @ApiOkResponse({ description: 'poolHash, poolSize, ratiosBp, frozenAt; the pool itself at GET /public/tasks/{id}/pool' })
  async freeze(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string, @Body() request: FreezePoolRequest) {
    const pool = await this.service.freeze(caller.department, id, request.seedCommitment);
    return {
      taskId: id,
      status: 'pool_frozen',
      poolHash: pool.poolHash,
      poolSize: pool.size,
      seedCommitment: request.seedCommitment,
      ratiosBp: pool.drawInput.ratiosBp,
      frozenAt: pool.frozenAt.toISOString(),
    };
  }
}
