import { acrossFields, IsRfc3339, RequiredWhen } from '@backbone/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  Validate,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { LICENCE_ACTIONS, LicenceActionKind, PENALTY_KINDS, PenaltyKind } from '@backbone/contracts';
import { SEVERITIES, Severity } from '../../benchmarks/discretion';

/** The largest amount the service stores (numeric(14, 2)); above it a request is refused (400), never a database error. */
export const MAX_AMOUNT_YUAN = 999_999_999_999.99;

/** Penalty kinds that carry an amount in yuan. */
export const MONETARY_PENALTY_KINDS: readonly PenaltyKind[] = ['fine', 'confiscation'];

/** A penalty kind that changes the licence, and the licence action that must say so to the approver. */
const LICENCE_PENALTIES: ReadonlyArray<[PenaltyKind, LicenceActionKind]> = [
  ['licence_suspension', 'suspend'],
  ['licence_revocation', 'revoke'],
];

@ValidatorConstraint({ name: acrossFields('amountOnlyForMonetaryPenalty') })
class AmountOnlyForMonetaryPenalty implements ValidatorConstraintInterface {
  validate(_amount: unknown, args: ValidationArguments): boolean {
    return MONETARY_PENALTY_KINDS.includes((args.object as PenaltyRequest).kind);
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} is only for ${MONETARY_PENALTY_KINDS.join(' and ')}, not for ${(args.object as PenaltyRequest).kind}`;
  }
}

/**
 * A licence suspension or revocation among the penalties and the licence action sent to the approver
 * must agree: the approver changes the licence from the action, so a penalty without it would never
 * reach the licence, and an action without the penalty would have no decided basis.
 */
@ValidatorConstraint({ name: acrossFields('penaltiesMatchLicenceAction') })
export class PenaltiesMatchLicenceAction implements ValidatorConstraintInterface {
  private problem(args: ValidationArguments): string | null {
    const request = args.object as Pick<DecidePenaltyRequest, 'penalties' | 'licenceAction'>;
    const kinds = new Set((Array.isArray(request.penalties) ? request.penalties : []).map((penalty) => penalty?.kind));
    const action = request.licenceAction?.action;
    for (const [kind, licenceAction] of LICENCE_PENALTIES) {
      if (kinds.has(kind) && action !== licenceAction) return `a ${kind} penalty needs licenceAction.action '${licenceAction}'`;
      if (!kinds.has(kind) && action === licenceAction) return `licenceAction '${licenceAction}' needs a ${kind} penalty`;
    }
    return null;
  }

  validate(_penalties: unknown, args: ValidationArguments): boolean {
    return this.problem(args) === null;
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} and licenceAction disagree: ${this.problem(args)}`;
  }
}

export class PenaltyRequest {
  @ApiProperty({ enum: PENALTY_KINDS }) @IsIn(PENALTY_KINDS) kind: PenaltyKind;

  @ApiPropertyOptional({ description: 'Yuan, up to 2 decimals; required for fine and confiscation, refused otherwise', example: 5000 })
  @RequiredWhen('kind', MONETARY_PENALTY_KINDS)
  @IsNumber({ maxDecimalPlaces: 2, allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_AMOUNT_YUAN)
  @Validate(AmountOnlyForMonetaryPenalty)
  amount?: number;
}

export class LicenceActionRequest {
  @ApiProperty({ enum: LICENCE_ACTIONS }) @IsIn(LICENCE_ACTIONS) action: LicenceActionKind;

  @ApiPropertyOptional({ description: 'suspend: suspended until this date; rectify: the rectification deadline. Required for both.' })
  @RequiredWhen('action', ['suspend', 'rectify'] satisfies LicenceActionKind[])
  @IsRfc3339('date-or-date-time')
  until?: string;

  @ApiProperty({ example: '超范围经营，责令停业整顿' }) @IsString() @Length(1, 500) reason: string;
}

/**
 * A penalty decision on a case under investigation or legal review. The deciding department is the
 * caller's; a major decision needs an approved legal review of exactly these penalties first.
 */
export class DecidePenaltyRequest {
  @ApiProperty({ description: 'The decision document number (处罚决定书文号)', example: '连市监罚〔2026〕12号' })
  @IsString()
  @Length(1, 64)
  decisionNumber: string;

  @ApiProperty({ type: [PenaltyRequest] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => PenaltyRequest)
  @Validate(PenaltiesMatchLicenceAction)
  penalties: PenaltyRequest[];

  @ApiPropertyOptional({ type: LicenceActionRequest, description: 'What the approver must do with the licence' })
  @IsOptional()
  @ValidateNested()
  @Type(() => LicenceActionRequest)
  licenceAction?: LicenceActionRequest;

  @ApiPropertyOptional({ enum: SEVERITIES, default: 'general', description: 'The severity the discretion benchmark is applied at' })
  @IsOptional()
  @IsIn(SEVERITIES)
  severity?: Severity;
}
