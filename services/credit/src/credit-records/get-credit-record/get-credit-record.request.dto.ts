import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';

export class GetCreditRecordQuery {
  @ApiPropertyOptional({ description: 'What the record held on this date (ISO 8601); defaults to now', example: '2026-03-01T00:00:00Z' })
  @IsOptional() @IsDateString() asOf?: string;
}
