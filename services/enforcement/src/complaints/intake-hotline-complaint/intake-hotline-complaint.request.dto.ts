import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { COMPLAINT_KINDS, ComplaintKind, IsUscc } from '@backbone/contracts';

/** A work order (工单) dispatched by the 12345 hotline's system to the competent department. */
export class IntakeHotlineComplaintRequest {
  @ApiProperty({ description: "The hotline's ticket number; the answer event carries it back", example: '12345-20261130-000123' })
  @IsString()
  @Length(1, 64)
  ticketNumber: string;
  @ApiProperty({ description: 'The entity complained about', example: '91320700MA1MXXK01L' }) @IsUscc() uscc: string;
  @ApiProperty({ enum: COMPLAINT_KINDS }) @IsIn(COMPLAINT_KINDS) kind: ComplaintKind;
  @ApiProperty({ description: 'The department the hotline dispatches it to; must be a department of this system', example: '320700-SAMR' })
  @IsString()
  @Length(1, 64)
  toDepartment: string;
  @ApiProperty({ description: 'The caller (kept confidential)', example: '李先生' }) @IsString() @Length(1, 100) complainant: string;
  @ApiPropertyOptional({ description: 'How to answer the caller' }) @IsOptional() @IsString() @Length(1, 200) contact?: string;
  @ApiProperty({ description: 'What the caller reported' }) @IsString() @Length(1, 4000) content: string;
}
