import { IsRfc3339 } from '@backbone/platform';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

export class GetCreditRecordQuery {
  @ApiPropertyOptional({ description: 'What the record held on this date (ISO 8601); defaults to now', example: '2026-03-01T00:00:00Z' })
  @IsOptional()
  @IsRfc3339('date-or-date-time')
  asOf?: string;

  @ApiPropertyOptional({
    description: 'Only facts recorded by this date (transaction time); with asOf: what was known on knownAt about asOf. Defaults to now',
    example: '2026-03-15T00:00:00Z',
  })
  @IsOptional()
  @IsRfc3339('date-or-date-time')
  knownAt?: string;
}
