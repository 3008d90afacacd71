import { acrossFields } from '@backbone/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNumber,
  IsString,
  Length,
  Max,
  Min,
  Validate,
  ValidateIf,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { PENALTY_KINDS, PenaltyKind } from '@backbone/contracts';
import { FIRST_MINOR_TREATMENTS, FirstMinorTreatment } from '../discretion';
import { MAX_AMOUNT_YUAN } from '../../cases/decide-penalty/decide-penalty.request.dto';

@ValidatorConstraint({ name: acrossFields('fineRangeMatchesMeasures') })
class FineRangeMatchesMeasures implements ValidatorConstraintInterface {
  validate(_value: unknown, args: ValidationArguments): boolean {
    const request = args.object as DefineBenchmarkRequest;
    const fines = Array.isArray(request.measures) && request.measures.includes('fine');
    const ranged = request.minFine !== undefined && request.maxFine !== undefined;
    return fines ? ranged && request.minFine! <= request.maxFine! : request.minFine === undefined && request.maxFine === undefined;
  }

  defaultMessage(): string {
    return 'a benchmark with fine needs minFine <= maxFine; one without fine has neither';
  }
}

export class DefineBenchmarkRequest {
  @ApiProperty({ example: '《食品安全法》第一百二十六条' }) @IsString() @Length(1, 500) basis: string;
  @ApiProperty({ enum: PENALTY_KINDS, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(8)
  @IsIn(PENALTY_KINDS, { each: true })
  @Validate(FineRangeMatchesMeasures)
  measures: PenaltyKind[];
  @ApiPropertyOptional()
  @ValidateIf((r: DefineBenchmarkRequest) => r.minFine !== undefined)
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(MAX_AMOUNT_YUAN)
  minFine?: number;
  @ApiPropertyOptional()
  @ValidateIf((r: DefineBenchmarkRequest) => r.maxFine !== undefined)
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0)
  @Max(MAX_AMOUNT_YUAN)
  maxFine?: number;
  @ApiProperty({ enum: FIRST_MINOR_TREATMENTS }) @IsIn(FIRST_MINOR_TREATMENTS) firstMinor: FirstMinorTreatment;
}
