import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';

export class RunDeadlineSweepRequest {
  @ApiPropertyOptional({ description: 'The instant the sweep judges deadlines by (default: now)', example: '2026-12-01T02:00:00Z' })
  @IsOptional()
  @IsDateString()
  asOf?: string;
}
