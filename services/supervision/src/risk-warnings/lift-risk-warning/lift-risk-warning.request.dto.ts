import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class LiftRiskWarningRequest {
  @ApiPropertyOptional({ description: 'Why it is lifted', example: '风险已消除' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  note?: string;
}
