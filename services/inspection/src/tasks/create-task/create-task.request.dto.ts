import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ENTITY_TYPES } from '../../targets/target-entity.entity';

const DEPARTMENT = /^[A-Za-z0-9_-]{1,64}$/;

export class ParticipantDto {
  @ApiProperty({ example: '320700-HEALTH' }) @Matches(DEPARTMENT) department: string;
  @ApiProperty({ description: "Codes of the participant's current items", example: ['HEALTH-PUBLIC-PLACES'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  itemCodes: string[];
  @ApiPropertyOptional({ description: 'Inspectors it sends to each entity (default 1)', example: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  inspectorsPerEntity?: number;
}

export class TaskFiltersDto {
  @IsOptional() @IsArray() @ArrayMaxSize(100) @Matches(/^(\d{2}|\d{4}|\d{6})$/, { each: true }) regionPrefixes?: string[];
  @IsOptional() @IsArray() @IsIn(ENTITY_TYPES, { each: true }) entityTypes?: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) industries?: string[];
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) licenceItemCodes?: string[];
}

/** A ratio multiplier per stratum (A, B, C, D, K), in whole percent. */
export class MultipliersDto {
  @IsOptional() @IsInt() @Min(0) @Max(10_000) A?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10_000) B?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10_000) C?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10_000) D?: number;
  @IsOptional() @IsInt() @Min(0) @Max(10_000) K?: number;
}

/** A task of the caller's department (the lead), from one of its published plans or ad hoc (临时). */
export class CreateTaskRequest {
  @ApiProperty({ description: 'Unique task reference', example: 'LYG-2026-SJ-001' }) @Matches(/^[A-Za-z0-9._-]{1,64}$/) reference: string;
  @ApiPropertyOptional({ description: 'The published plan it carries out; none: an ad hoc task (临时任务)' })
  @IsOptional()
  @IsUUID()
  planId?: string;
  @ApiProperty({ example: '2026年餐饮服务单位联合抽查' }) @IsString() @Length(1, 200) title: string;
  @ApiProperty({ description: "Codes of the lead department's current items", example: ['FOOD-DAILY'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  itemCodes: string[];
  @ApiPropertyOptional({ description: 'Inspectors the lead sends to each entity (default 2)', example: 2 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5)
  inspectorsPerEntity?: number;
  @ApiPropertyOptional({ type: [ParticipantDto], description: 'Other departments of a joint task (部门联合抽查)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ParticipantDto)
  participants?: ParticipantDto[];
  @ApiPropertyOptional({ type: TaskFiltersDto, description: "Pool filters; a dimension left out takes the union of the items' scopes" })
  @IsOptional()
  @ValidateNested()
  @Type(() => TaskFiltersDto)
  filters?: TaskFiltersDto;
  @ApiPropertyOptional({ type: MultipliersDto, description: 'Ratio multiplier per stratum in percent (risk warnings), e.g. {"D":150}' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MultipliersDto)
  multipliers?: MultipliersDto;
  @ApiPropertyOptional({ description: 'Leave out entities inspected under one of the task’s items within this many days' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  excludeInspectedWithinDays?: number;
  @ApiPropertyOptional({ description: 'Publish the drawn list (default true; the digest is always published)' })
  @IsOptional()
  @IsBoolean()
  publishDrawnList?: boolean;
}
