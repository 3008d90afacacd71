import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { REPAIR_DECISIONS, RepairDecision } from '../credit-repair.entity';

export class DecideRepairRequest {
  @ApiProperty({ enum: REPAIR_DECISIONS }) @IsIn(REPAIR_DECISIONS) decision: RepairDecision;
  @ApiProperty({ example: '整改到位，同意修复' }) @IsString() @Length(1, 2000) note: string;
}
