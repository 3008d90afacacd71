import { IsRfc3339 } from '@backbone/platform';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

export class RunDeadlineSweepRequest {
  @ApiPropertyOptional({ description: 'The instant the sweep judges deadlines by (default: now)', example: '2026-12-01T02:00:00Z' })
  @IsOptional()
  @IsRfc3339('date-time')
  asOf?: string;
}
