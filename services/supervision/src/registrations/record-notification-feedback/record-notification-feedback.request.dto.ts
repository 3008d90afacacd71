import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';

export const FEEDBACK_ACTIONS = ['received', 'guided_applicant', 'licence_in_progress', 'inspected', 'not_competent'] as const;
export type FeedbackAction = (typeof FEEDBACK_ACTIONS)[number];

/** A licensing department's feedback on a double notification (双反馈). */
export class RecordNotificationFeedbackRequest {
  @ApiProperty({ enum: FEEDBACK_ACTIONS }) @IsIn(FEEDBACK_ACTIONS) action: FeedbackAction;
  @ApiPropertyOptional({ example: '已电话告知申请人办理食品经营许可' }) @IsOptional() @IsString() @Length(1, 1000) note?: string;
}
