import { IsRfc3339 } from '@backbone/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, ValidateIf, ValidateNested, ValidateBy } from 'class-validator';
import { INSPECTION_RESULT_CATEGORIES, INSPECTION_RESULTS, InspectionResult, InspectionResultCategory, IsUscc } from '@backbone/contracts';

export class ViolationDto {
  @ApiProperty({ description: 'Violation code (the key of its discretion benchmark)', example: 'FOOD-HYGIENE-01' })
  @IsString()
  @Length(1, 64)
  code: string;
  @ApiProperty() @IsString() @Length(1, 1000) description: string;
}

/** An inspection's result, by the inspecting department (the caller). */
export class RecordInspectionRequest {
  @ApiPropertyOptional({ description: 'The supervision task inspected, if any' })
  @IsOptional()
  @IsUUID()
  taskId?: string;

  @ApiProperty() @IsUscc() uscc: string;
  @ApiProperty({ example: '李强' }) @IsString() @Length(1, 100) inspector: string;
  @ApiProperty({ enum: INSPECTION_RESULTS }) @IsIn(INSPECTION_RESULTS) result: InspectionResult;

  @ApiPropertyOptional({ type: [ViolationDto], description: 'Required, at least one, when the result is non_compliant; none otherwise' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ViolationDto)
  @ValidateIf((request: RecordInspectionRequest) => request.result === 'non_compliant' || request.violations !== undefined)
  @ValidateBy({
    name: 'violationsWhenNonCompliant',
    validator: {
      validate: (value: unknown, args) =>
        (args?.object as RecordInspectionRequest).result !== 'non_compliant' || (Array.isArray(value) && value.length >= 1),
      defaultMessage: () => 'violations must name at least one violation when the result is non_compliant',
    },
  })
  violations?: ViolationDto[];

  @ApiPropertyOptional() @IsOptional() @IsRfc3339('date-time') inspectedAt?: string;

  @ApiPropertyOptional({
    enum: INSPECTION_RESULT_CATEGORIES,
    description:
      'The standard result category; default: no_problem for compliant, further_handling (an enforcement case) for non_compliant. ' +
      'It must agree with result (no_problem and not_operating are compliant, the others non_compliant).',
  })
  @IsOptional()
  @IsIn(INSPECTION_RESULT_CATEGORIES)
  category?: InspectionResultCategory;

  @ApiPropertyOptional({ description: 'References to the evidence kept by the department (never published)', example: ['DOC-2026-0001'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  evidenceRefs?: string[];
}
