import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsObject,
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { INSPECTION_METHODS, InspectionMethod, ITEM_KINDS, ItemKind } from '../inspection-item.entity';
import { ENTITY_TYPES } from '../../targets/target-entity.entity';

export class ObjectScopeDto {
  @ApiPropertyOptional({ enum: ENTITY_TYPES, isArray: true, description: 'Empty: every type' })
  @IsOptional()
  @IsArray()
  @IsIn(ENTITY_TYPES, { each: true })
  entityTypes: string[] = [];
  @ApiPropertyOptional({ description: 'Industry codes (GB/T 4754), empty: every industry', example: ['H62'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 16, { each: true })
  industries: string[] = [];
  @ApiPropertyOptional({
    description: 'Entities holding an active licence of one of these approval items; empty: any',
    example: ['FOOD-BUSINESS-LICENCE'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  licenceItemCodes: string[] = [];
  @ApiPropertyOptional({ description: 'Division-code prefixes (2, 4 or 6 digits); empty: the whole region', example: ['3207'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^(\d{2}|\d{4}|\d{6})$/, { each: true })
  regionPrefixes: string[] = [];
}

/** A new version of one item of the caller's list; the previous version (if any) is superseded. */
export class DefineItemRequest {
  @ApiProperty({ example: '连云港市场监管局食品经营抽查' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ example: '《食品安全法》第一百一十条' }) @IsString() @Length(1, 1000) legalBasis: string;
  @ApiProperty({ description: 'Departments that carry it out (the owner included, usually)', example: ['320700-SAMR'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { each: true })
  inspectingDepartments: string[];
  @ApiProperty({ type: ObjectScopeDto }) @IsObject() @ValidateNested() @Type(() => ObjectScopeDto) objectScope: ObjectScopeDto;
  @ApiProperty({ enum: INSPECTION_METHODS }) @IsIn(INSPECTION_METHODS) method: InspectionMethod;
  @ApiProperty({ enum: ITEM_KINDS, description: 'key (重点): no upper ratio; general (一般): capped by maxRatioBp' })
  @IsIn(ITEM_KINDS)
  kind: ItemKind;
  @ApiProperty({ description: 'Lowest ratio in basis points (500 = 5 %)', example: 0 }) @IsInt() @Min(0) @Max(10_000) minRatioBp: number;
  @ApiProperty({ description: 'Highest ratio in basis points; a key item may say 10000', example: 2000 })
  @IsInt()
  @Min(0)
  @Max(10_000)
  maxRatioBp: number;
  @ApiProperty({ description: 'Times a year at most', example: 1 }) @IsInt() @Min(1) @Max(52) frequencyPerYear: number;
  @ApiPropertyOptional({ description: 'Withdraw the item from the list (a version that ends it)' })
  @IsOptional()
  @IsBoolean()
  withdrawn?: boolean;
}
