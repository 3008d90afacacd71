import { IsRfc3339 } from '@backbone/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export class HandleObjectionRequest {
  @ApiProperty({ description: 'Who in the credit authority handles it', example: '陈科长' }) @IsString() @Length(1, 100) handler: string;
}

export const OBJECTION_OUTCOMES = ['upheld', 'rejected'] as const;
export type ObjectionOutcome = (typeof OBJECTION_OUTCOMES)[number];

export class AnswerObjectionRequest {
  @ApiProperty({ enum: OBJECTION_OUTCOMES }) @IsIn(OBJECTION_OUTCOMES) outcome: ObjectionOutcome;
  @ApiProperty({ example: '经核实，原处罚决定已撤销，予以更正' }) @IsString() @Length(1, 4000) answer: string;

  @ApiPropertyOptional({
    description: 'For an upheld objection: from when the entry is invalid; defaults to now, never in the future nor before the entry',
  })
  @IsOptional()
  @IsRfc3339('date-or-date-time')
  effectiveFrom?: string;
}
