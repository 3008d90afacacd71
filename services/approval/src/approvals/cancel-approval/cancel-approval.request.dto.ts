import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsString, Length } from 'class-validator';

/** A cancellation (注销 / 取消审批): the licence becomes cancelled. */
export class CancelApprovalRequest {
  @ApiProperty({ example: '申请人主动申请注销' }) @IsString() @Length(1, 500) reason: string;

  @ApiProperty({ description: 'Whether the activity stays under supervision (取消审批后仍需监管): then the industry authority supervises' })
  @IsBoolean()
  stillSupervised: boolean;
}
