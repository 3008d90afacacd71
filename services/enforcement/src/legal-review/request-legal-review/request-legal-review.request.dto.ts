import { RequiredWhen } from '@backbone/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, Validate, ValidateNested } from 'class-validator';
import { SEVERITIES, Severity } from '../../benchmarks/discretion';
import { LicenceActionRequest, PenaltiesMatchLicenceAction, PenaltyRequest } from '../../cases/decide-penalty/decide-penalty.request.dto';
import { REVIEW_ACTIONS, ReviewAction } from '../legal-review.entity';

/** A request for legal review (法制审核) of a proposed major decision or of a transfer to the judicial authorities. */
export class RequestLegalReviewRequest {
  @ApiProperty({ description: 'Who submits the proposal (usually the investigator)', example: '李强' })
  @IsString()
  @Length(1, 100)
  requestedBy: string;
  @ApiProperty({ enum: REVIEW_ACTIONS }) @IsIn(REVIEW_ACTIONS) action: ReviewAction;

  @ApiPropertyOptional({
    type: [PenaltyRequest],
    description: "For 'decide': the penalties proposed (the decision must then be exactly these)",
  })
  @RequiredWhen('action', ['decide'])
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PenaltyRequest)
  @Validate(PenaltiesMatchLicenceAction)
  penalties?: PenaltyRequest[];

  @ApiPropertyOptional({ type: LicenceActionRequest })
  @IsOptional()
  @ValidateNested()
  @Type(() => LicenceActionRequest)
  licenceAction?: LicenceActionRequest;
  @ApiPropertyOptional({ enum: SEVERITIES }) @IsOptional() @IsIn(SEVERITIES) severity?: Severity;

  @ApiPropertyOptional({ description: "For 'transfer_judicial': the authority, e.g. 连云港市公安局" })
  @RequiredWhen('action', ['transfer_judicial'])
  @IsString()
  @Length(1, 64)
  toDepartment?: string;

  @ApiProperty({ description: 'Facts, evidence and basis of the proposal' }) @IsString() @Length(1, 4000) reason: string;
}
