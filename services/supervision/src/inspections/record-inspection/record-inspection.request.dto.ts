import { IsRfc3339 } from '@backbone/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Length, ValidateNested } from 'class-validator';
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

  @ApiPropertyOptional({
    type: [ViolationDto],
    description: 'At least one when the result is non_compliant, none otherwise (422 VIOLATIONS_REQUIRED / VIOLATIONS_ON_COMPLIANT_RESULT)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ViolationDto)
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
