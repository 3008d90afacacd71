import { IsRfc3339 } from '@backbone/platform';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';

export class SweepLicencesRequest {
  @ApiPropertyOptional({ description: 'Sweep as of this time (default now): suspensions ended and validity ended by then' })
  @IsOptional()
  @IsRfc3339('date-time')
  asOf?: string;
}
