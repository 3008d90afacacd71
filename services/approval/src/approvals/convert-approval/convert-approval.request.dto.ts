import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';

export const CONVERSION_TARGETS = ['filing', 'commitment'] as const;

/** The item's approval turned into a filing (审批改备案) or a commitment (告知承诺). */
export class ConvertApprovalRequest {
  @ApiProperty({ enum: CONVERSION_TARGETS }) @IsIn(CONVERSION_TARGETS) to: (typeof CONVERSION_TARGETS)[number];
  @ApiProperty({ example: '审批改为备案管理' }) @IsString() @Length(1, 500) reason: string;
}
