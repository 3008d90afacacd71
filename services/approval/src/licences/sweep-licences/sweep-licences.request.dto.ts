import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';

export class SweepLicencesRequest {
  @ApiPropertyOptional({ description: 'Sweep as of this time (default now): suspensions ended and validity ended by then' })
  @IsOptional()
  @IsDateString()
  asOf?: string;
}
