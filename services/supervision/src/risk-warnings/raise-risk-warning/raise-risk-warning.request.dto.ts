import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { IsUscc, RISK_WARNING_LEVELS, RiskWarningLevel } from '@backbone/contracts';
import { DateField } from '@backbone/platform';

export class RiskWarningScopeDto {
  @ApiPropertyOptional({ description: 'Division-code prefixes (2, 4 or 6 digits)', example: ['320703'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^(\d{2}|\d{4}|\d{6})$/, { each: true, message: 'each region prefix is 2, 4 or 6 digits of a division code' })
  regionPrefixes?: string[];

  @ApiPropertyOptional({ description: 'Industries; with them, name their licence items too', example: ['餐饮服务'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  industries?: string[];

  @ApiPropertyOptional({ description: 'Approval (licence) item codes', example: ['FOOD-BUSINESS-LICENCE'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  licenceItemCodes?: string[];

  @ApiPropertyOptional({ description: 'Listed entities (USCC): in scope whatever the other dimensions say' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUscc({ each: true })
  usccs?: string[];
}

/** A risk warning (风险预警, 000 三(二)3): level, period, scope, items of concern and measures. */
export class RaiseRiskWarningRequest {
  @ApiProperty({ description: 'Unique reference of the warning', example: 'LYG-YJ-2026-007' })
  @Matches(/^[A-Za-z0-9._-]{1,64}$/)
  reference: string;

  @ApiProperty({ enum: RISK_WARNING_LEVELS, description: '蓝 blue < 黄 yellow < 橙 orange < 红 red' })
  @IsIn(RISK_WARNING_LEVELS)
  level: RiskWarningLevel;

  @ApiProperty({ example: '夏季餐饮食品安全风险预警' }) @IsString() @Length(1, 200) title: string;

  @DateField({ required: false, description: 'When it takes effect (default: now)' })
  startsAt?: string;

  @DateField({ description: 'When it expires, unless lifted before' })
  endsAt: string;

  @ApiProperty({ type: RiskWarningScopeDto })
  @ValidateNested()
  @Type(() => RiskWarningScopeDto)
  scope: RiskWarningScopeDto;

  @ApiProperty({ description: '警示事项', example: ['高温天气凉菜制售'] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  concerns: string[];

  @ApiProperty({ description: '防控措施', example: ['加密抽查', '从严审核新办许可'] })
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  measures: string[];
}
