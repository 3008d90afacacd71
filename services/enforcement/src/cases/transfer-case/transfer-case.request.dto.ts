import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { TRANSFER_TARGETS, TransferTarget } from '@backbone/contracts';

export class TransferCaseRequest {
  @ApiProperty({
    enum: TRANSFER_TARGETS,
    description: "'department': the competent department opens a case of its own; 'judicial': suspected crime (legal review first)",
  })
  @IsIn(TRANSFER_TARGETS)
  target: TransferTarget;
  @ApiProperty({ description: 'The receiving department, or the judicial authority', example: '320700-HEALTH' })
  @IsString()
  @Length(1, 64)
  toDepartment: string;
  @ApiProperty({ description: 'Why' }) @IsString() @Length(1, 1000) reason: string;
  @ApiProperty({ description: 'Who transfers', example: '王芳' }) @IsString() @Length(1, 100) transferredBy: string;
}
