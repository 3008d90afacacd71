import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

export class ExecuteDecisionRequest {
  @ApiProperty({ description: 'Who confirmed the execution', example: '李强' }) @IsString() @Length(1, 100) confirmedBy: string;
  @ApiProperty({ description: 'How it was executed (e.g. fine paid, receipt number)', example: '罚款已缴清，缴款书 NO.3207001' })
  @IsString()
  @Length(1, 2000)
  note: string;
}
