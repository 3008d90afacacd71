import { IsRfc3339 } from '@backbone/platform';
import { ApiProperty } from '@nestjs/swagger';

export class ReconcileQuery {
  @ApiProperty({ description: 'Approvals decided from (inclusive)', example: '2026-11-01T00:00:00+08:00' })
  @IsRfc3339('date-time')
  from: string;
  @ApiProperty({ description: 'Approvals decided until (exclusive)', example: '2026-12-01T00:00:00+08:00' })
  @IsRfc3339('date-time')
  to: string;
}
