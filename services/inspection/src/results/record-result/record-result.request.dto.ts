import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDateString, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { INSPECTION_RESULT_CATEGORIES, InspectionResultCategory } from '@backbone/contracts';

export class ResultViolationDto {
  @ApiProperty({ description: 'Violation code (the key of its discretion benchmark in enforcement)', example: 'FOOD-HYGIENE-01' })
  @IsString()
  @Length(1, 64)
  code: string;
  @ApiProperty() @IsString() @Length(1, 1000) description: string;
}

/** The caller department's result for one drawn entity of a task. */
export class RecordResultRequest {
  @ApiProperty({ enum: INSPECTION_RESULT_CATEGORIES, description: 'The standard result category' })
  @IsIn(INSPECTION_RESULT_CATEGORIES)
  category: InspectionResultCategory;
  @ApiProperty({ description: 'What was found (internal; never published)', example: '现场检查未发现问题' })
  @IsString()
  @Length(1, 4000)
  findings: string;
  @ApiPropertyOptional({
    type: [ResultViolationDto],
    description: 'At least one for ordered_to_correct and further_handling; none otherwise',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ResultViolationDto)
  violations?: ResultViolationDto[];
  @ApiPropertyOptional({
    description: 'References to the evidence kept by the department (photos, records); never published',
    example: ['EV-2026-0001'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  evidenceRefs?: string[];
  @ApiPropertyOptional({ description: 'When the visit took place (default now)' }) @IsOptional() @IsDateString() inspectedAt?: string;
}
