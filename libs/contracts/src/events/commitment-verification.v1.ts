import { IsDateString, IsString, IsUUID, Length } from 'class-validator';
import { IsUscc } from '../uscc';
import { Topics } from '../topics';

/**
 * The verification of a commitment-based approval (告知承诺制) was not recorded by its due date: escalated
 * (督办) like an unclaimed task, once, to the supervising department and the approver.
 */
export class CommitmentVerificationEscalatedV1 {
  static readonly type = 'backbone.supervision.commitment-verification-escalated.v1';
  static readonly topic = Topics.SupervisionEvents;

  @IsUUID() verificationId: string;
  @IsUUID() approvalId: string;
  @IsUscc() uscc: string;
  @IsString() @Length(1, 64) itemCode: string;
  /** The department that must verify (the task's, as it stands). */
  @IsString() @Length(1, 64) department: string;
  @IsDateString() dueAt: string;
  @IsDateString() escalatedAt: string;
}
