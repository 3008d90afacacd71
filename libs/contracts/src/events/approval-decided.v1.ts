import { IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Min } from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';

export const APPROVAL_KINDS = ['licence', 'filing', 'commitment'] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];
export const APPROVAL_OUTCOMES = ['granted', 'refused'] as const;
export type ApprovalOutcome = (typeof APPROVAL_OUTCOMES)[number];

/** An approving department decided an application (审批决定). The start of the double push. */
export class ApprovalDecidedV1 {
  static readonly type = 'backbone.approval.decided.v1';
  static readonly topic = Topics.ApprovalEvents;

  @IsUUID() approvalId: string;
  @IsInt() @Min(1) version: number;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 200) entityName: string;
  /** Approval item code (审批事项编码) in the catalog. */
  @IsString() @Length(1, 64) itemCode: string;
  /** Six-digit administrative division code of the approving authority. */
  @Matches(/^\d{6}$/) regionCode: string;
  @IsString() @Length(1, 64) approverDepartment: string;
  @IsIn(APPROVAL_KINDS) kind: ApprovalKind;
  @IsIn(APPROVAL_OUTCOMES) outcome: ApprovalOutcome;
  @IsOptional() @IsString() @Length(1, 64) licenceNumber?: string;
  @IsDateString() decidedAt: string;
  @IsOptional() @IsDateString() validUntil?: string;
}
