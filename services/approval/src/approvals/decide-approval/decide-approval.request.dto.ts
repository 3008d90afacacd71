import { CompiledValidation, IsRfc3339, RequiredWhen } from '@backbone/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { APPROVAL_KINDS, APPROVAL_OUTCOMES, ApprovalKind, ApprovalOutcome, IsUscc } from '@backbone/contracts';

/** Approval power delegated down a level (审批权限下放): the level that held it before. */
export class DelegationRequest {
  @ApiProperty({ description: 'Division code of the level that held the power before', example: '320700' })
  @Matches(/^\d{6}$/, { message: 'fromRegionCode must be a six-digit administrative division code' })
  fromRegionCode: string;

  @ApiProperty({ example: '320700-APPROVAL' }) @IsString() @Length(1, 64) fromDepartment: string;
}

/** Entrusted approval (委托审批): who entrusted it, under which agreement. */
export class EntrustmentRequest {
  @ApiProperty({ example: '320700-HEALTH' }) @IsString() @Length(1, 64) entrustingDepartment: string;
  @ApiProperty({ description: 'The entrustment agreement (number or title)', example: '连卫委〔2026〕3号' })
  @IsString()
  @Length(1, 200)
  agreement: string;
}

/**
 * An approving department's decision on one application. The department is the caller's. A valid body
 * takes the compiled path (ADR 0011; `decide-approval.request.spec.ts` holds it to the pipe).
 */
@CompiledValidation()
export class DecideApprovalRequest {
  @ApiProperty({
    description: "The agency's own application number; posting it again returns the same approval",
    example: 'LYG-2026-000123',
  })
  @IsString()
  @Length(1, 64)
  applicationNumber: string;

  @ApiProperty({ description: 'Unified social credit code of the applicant (GB 32100-2015)', example: '91320700MA1MXXK01L' })
  @IsUscc()
  uscc: string;

  @ApiProperty({ example: '连云港某某食品有限公司' }) @IsString() @Length(1, 200) entityName: string;

  @ApiProperty({ description: 'Approval item code (审批事项编码)', example: 'FOOD-BUSINESS-LICENCE' })
  @IsString()
  @Length(1, 64)
  itemCode: string;

  @ApiProperty({ description: 'Six-digit administrative division code of the approving authority', example: '320700' })
  @Matches(/^\d{6}$/, { message: 'regionCode must be a six-digit administrative division code' })
  regionCode: string;

  @ApiProperty({ enum: APPROVAL_KINDS }) @IsIn(APPROVAL_KINDS) kind: ApprovalKind;
  @ApiProperty({ enum: APPROVAL_OUTCOMES }) @IsIn(APPROVAL_OUTCOMES) outcome: ApprovalOutcome;

  @ApiPropertyOptional({ description: 'Required when the outcome is granted' })
  @RequiredWhen('outcome', ['granted'])
  @IsString()
  @Length(1, 64)
  licenceNumber?: string;

  @ApiPropertyOptional({ description: 'When the decision was made; defaults to now' })
  @IsOptional()
  @IsRfc3339('date-time')
  decidedAt?: string;

  @ApiPropertyOptional() @IsOptional() @IsRfc3339('date-or-date-time') validUntil?: string;

  @ApiPropertyOptional({ type: DelegationRequest, description: 'When the approval power was delegated down a level' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DelegationRequest)
  delegation?: DelegationRequest;

  @ApiPropertyOptional({ type: EntrustmentRequest, description: 'When the approval is made on entrustment' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EntrustmentRequest)
  entrustment?: EntrustmentRequest;
}
