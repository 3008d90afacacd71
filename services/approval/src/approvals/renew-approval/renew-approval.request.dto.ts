import { IsRfc3339 } from '@backbone/platform';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** A renewal (延续): the licence's validity is extended. */
export class RenewApprovalRequest {
  @ApiProperty({ description: 'The new end of validity; later than the current one and than now' })
  @IsRfc3339('date-or-date-time')
  validUntil: string;

  @ApiProperty({ example: '有效期届满前申请延续' }) @IsString() @Length(1, 500) reason: string;
}
