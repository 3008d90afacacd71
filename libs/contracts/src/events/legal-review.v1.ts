import { IsDateString, IsIn, IsString, IsUUID, Length } from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';

/** What a legal review (法制审核) is asked to approve: a major penalty decision, or a judicial transfer. */
export const LEGAL_REVIEW_ACTIONS = ['decide', 'transfer_judicial'] as const;
export type LegalReviewAction = (typeof LEGAL_REVIEW_ACTIONS)[number];

export const LEGAL_REVIEW_OUTCOMES = ['approved', 'rejected'] as const;
export type LegalReviewOutcome = (typeof LEGAL_REVIEW_OUTCOMES)[number];

/**
 * A case's department asked the legal-review department to review a proposed major decision (重大执法
 * 决定法制审核). No names of persons: the case record keeps who proposed it.
 */
export class LegalReviewRequestedV1 {
  static readonly type = 'backbone.enforcement.legal-review-requested.v1';
  static readonly topic = Topics.EnforcementEvents;

  @IsUUID() reviewId: string;
  @IsUUID() caseId: string;
  @IsUscc() uscc: string;
  /** The case's department, which asked. */
  @IsString() @Length(1, 64) department: string;
  @IsIn(LEGAL_REVIEW_ACTIONS) action: LegalReviewAction;
  @IsDateString() requestedAt: string;
}

/** The legal-review department answered a review: approved (the decision may be made as proposed) or rejected. */
export class LegalReviewRecordedV1 {
  static readonly type = 'backbone.enforcement.legal-review-recorded.v1';
  static readonly topic = Topics.EnforcementEvents;

  @IsUUID() reviewId: string;
  @IsUUID() caseId: string;
  @IsUscc() uscc: string;
  /** The case's department. */
  @IsString() @Length(1, 64) department: string;
  @IsString() @Length(1, 64) reviewerDepartment: string;
  @IsIn(LEGAL_REVIEW_OUTCOMES) outcome: LegalReviewOutcome;
  @IsDateString() reviewedAt: string;
}
