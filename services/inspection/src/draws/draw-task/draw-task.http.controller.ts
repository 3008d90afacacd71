import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { Caller, CurrentCaller } from '@backbone/platform';
import { DrawTaskService } from './draw-task.service';

export class DrawTaskRequest {
  @ApiProperty({ description: 'The seed whose SHA-256 was published as the commitment at the freeze', example: 'c4a1f0e2…' })
  @IsString()
  @Length(16, 256)
  seed: string;
}

@ApiTags('tasks')
@Controller('tasks')
export class DrawTaskHttpController {
  constructor(private readonly service: DrawTaskService) {}

  @Post(':id/draws')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reveals the seed and draws entities and inspectors (lead department); 409 INSPECTOR_SHORTFALL names what is missing',
  })
  @ApiOkResponse({ description: 'round, digest, strata and the drawn entities with their inspectors' })
  async draw(@CurrentCaller() caller: Caller, @Param('id', ParseUUIDPipe) id: string, @Body() request: DrawTaskRequest) {
    const { draw, outcome } = await this.service.draw(caller.department, id, request.seed);
    return {
      taskId: id,
      round: draw.round,
      seed: request.seed,
      seedCommitment: draw.seedCommitment,
      digest: outcome.digest,
      strata: outcome.strata,
      drawn: outcome.targets.length,
      targets: outcome.targets,
      drawnAt: draw.drawnAt!.toISOString(),
    };
  }
}
