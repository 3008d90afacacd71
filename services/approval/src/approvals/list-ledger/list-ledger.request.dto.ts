import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DateField } from '@backbone/platform';

export class ListLedgerQuery {
  @DateField({ description: 'Approvals decided from (inclusive)', example: '2026-11-01T00:00:00+08:00' }) from: string;
  @DateField({ description: 'Approvals decided until (exclusive)', example: '2026-12-01T00:00:00+08:00' }) to: string;
  @ApiPropertyOptional({ description: 'The `next` value of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
  @ApiPropertyOptional({ description: 'Approvals per page (1–1000)', default: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class LedgerCountsQuery {
  @DateField({ description: 'Approvals decided from (inclusive)', example: '2026-11-01T00:00:00+08:00' }) from: string;
  @DateField({ description: 'Approvals decided until (exclusive)', example: '2026-12-01T00:00:00+08:00' }) to: string;
  @ApiPropertyOptional({
    description: 'Width of a bucket in seconds (1–86400); buckets start at whole multiples of it since 1970',
    default: 3600,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86400)
  bucketSeconds?: number;
}
