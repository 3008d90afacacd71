import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length } from 'class-validator';
import { COMMITMENT_OUTCOMES, CommitmentOutcome } from '@backbone/contracts';

export class RecordVerificationRequest {
  @ApiProperty({ enum: COMMITMENT_OUTCOMES }) @IsIn(COMMITMENT_OUTCOMES) outcome: CommitmentOutcome;
  @ApiProperty({ example: '现场核查，承诺的经营场所条件已具备' }) @IsString() @Length(1, 2000) findings: string;
}
