import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { REVIEW_OUTCOMES, ReviewOutcome } from '../legal-review.entity';

export class RecordLegalReviewRequest {
  @ApiProperty({
    description: 'The reviewing officer (审核人): not the investigator, nor who collected evidence or proposed',
    example: '陈静',
  })
  @IsString()
  @Length(1, 100)
  reviewer: string;
  @ApiProperty({ enum: REVIEW_OUTCOMES }) @IsIn(REVIEW_OUTCOMES) outcome: ReviewOutcome;
  @ApiProperty({ description: 'The review opinion (审核意见)' }) @IsString() @Length(1, 4000) opinion: string;
}
