import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class CloseCaseRequest {
  @ApiProperty({ description: 'Who closes the case (结案人)', example: '王芳' }) @IsString() @Length(1, 100) closedBy: string;
  @ApiProperty({ description: 'Why: after execution, or why no penalty (e.g. 违法事实不成立)' })
  @IsString()
  @Length(1, 2000)
  reason: string;
}
