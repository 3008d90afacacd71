import { ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Min } from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';

/** A department that is not responsible returned a task, with its reason (before re-routing). */
export class TaskReturnedV1 {
  static readonly type = 'backbone.supervision.task-returned.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() taskId: string;
  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) department: string;
  @IsString() @Length(1, 500) reason: string;
  @IsDateString() returnedAt: string;
}

/** The task changed with its approval (amended, renewed, cancelled but still supervised, converted). */
export class TaskUpdatedV1 {
  static readonly type = 'backbone.supervision.task-updated.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() taskId: string;
  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsInt() @Min(1) approvalVersion: number;
  @IsString() @Length(1, 64) assignedDepartment: string;
  @IsString() @Length(1, 500) change: string;
  @IsDateString() updatedAt: string;
}

/** The claim deadline is near and the task is still unclaimed: a reminder to both sides. */
export class TaskClaimReminderV1 {
  static readonly type = 'backbone.supervision.task-claim-reminder.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() taskId: string;
  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) assignedDepartment: string;
  @IsDateString() claimDeadline: string;
  /**
   * When the reminder was given (the sweep's instant). Optional so that reminders published before it
   * existed stay valid; consumers fall back to the envelope's time for those.
   */
  @IsOptional() @IsDateString() remindedAt?: string;
}

/** The claim deadline passed with the task unclaimed: escalated, and both sides see it. */
export class TaskEscalatedV1 {
  static readonly type = 'backbone.supervision.task-escalated.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() taskId: string;
  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) assignedDepartment: string;
  @IsDateString() claimDeadline: string;
  @IsDateString() escalatedAt: string;
}

export class TaskClosedV1 {
  static readonly type = 'backbone.supervision.task-closed.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() taskId: string;
  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) department: string;
  @IsString() @Length(1, 500) reason: string;
  @IsDateString() closedAt: string;
}

/**
 * Double notification (双告知): a registered entity's business scope needs these licences; the
 * licensing department is told about the applicant.
 */
export class EntityNotifiedV1 {
  static readonly type = 'backbone.supervision.entity-notified.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() notificationId: string;
  @IsUUID() registrationId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 200) entityName: string;
  @IsString() @Length(1, 64) licensingDepartment: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) itemCodes: string[];
  @IsDateString() notifiedAt: string;
}

export const UNLICENSED_BASES = ['no_business_licence', 'no_permit'] as const;
export type UnlicensedBasis = (typeof UNLICENSED_BASES)[number];

/** A clue of unlicensed operation (无证无照经营), pushed to the department the law names. */
export class UnlicensedOperationClueV1 {
  static readonly type = 'backbone.supervision.unlicensed-operation-clue.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() clueId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 200) entityName: string;
  @IsOptional() @IsString() @Length(1, 64) itemCode?: string;
  /** The competent department (for no permit: the licensing department the law names). */
  @IsString() @Length(1, 64) department: string;
  @IsIn(UNLICENSED_BASES) basis: UnlicensedBasis;
  @IsString() @Length(1, 1000) reason: string;
  @IsDateString() detectedAt: string;
}

export const COMMITMENT_OUTCOMES = ['fulfilled', 'breached'] as const;
export type CommitmentOutcome = (typeof COMMITMENT_OUTCOMES)[number];

/**
 * A commitment-based approval (告知承诺制) verified afterwards. A breach revokes the licence at the
 * approver and is written into the credit record; a fulfilment is written there too.
 */
export class CommitmentVerifiedV1 {
  static readonly type = 'backbone.supervision.commitment-verified.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() verificationId: string;
  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) itemCode: string;
  @IsString() @Length(1, 64) department: string;
  @IsIn(COMMITMENT_OUTCOMES) outcome: CommitmentOutcome;
  @IsString() @Length(1, 2000) findings: string;
  @IsDateString() verifiedAt: string;
}
