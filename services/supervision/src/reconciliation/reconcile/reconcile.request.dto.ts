import { ApiProperty } from '@nestjs/swagger';
import { IsDateString } from 'class-validator';

export class ReconcileQuery {
  @ApiProperty({ description: 'Approvals decided from (inclusive)', example: '2026-11-01T00:00:00+08:00' }) @IsDateString() from: string;
  @ApiProperty({ description: 'Approvals decided until (exclusive)', example: '2026-12-01T00:00:00+08:00' }) @IsDateString() to: string;
}
