import { IsRfc3339, RequiredWhen } from '@backbone/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ROUTING_RULES, RoutingRule } from '@backbone/contracts';

const DEPARTMENT = /^[A-Za-z0-9_-]{1,64}$/;

/** A new catalog entry with every element the documents name (000 三(一)1; 001 三(一)1; 002 一(一)1). */
export class CreateCatalogEntryRequest {
  @ApiProperty({ description: 'Supervision item code (监管事项编码)', example: 'FOOD-BUSINESS-SUPERVISION' })
  @IsString()
  @Length(1, 64)
  itemCode: string;

  @ApiProperty({ description: 'Approval items (审批事项编码) the entry covers', example: ['FOOD-BUSINESS-LICENCE'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  approvalItemCodes: string[];

  @ApiProperty({ description: 'Six-digit division code; covers the divisions under it', example: '320700' })
  @Matches(/^\d{6}$/, { message: 'regionCode must be a six-digit administrative division code' })
  regionCode: string;

  @ApiProperty({ example: '食品经营许可事项监管' }) @IsString() @Length(1, 200) itemName: string;

  @ApiProperty({ enum: ROUTING_RULES, description: 'integrated (审管一体) or separated (审管分离)' })
  @IsIn(ROUTING_RULES)
  mode: RoutingRule;

  @ApiPropertyOptional({ description: 'The industry authority (行业主管部门); required when mode is separated', example: '320700-SAMR' })
  @RequiredWhen('mode', ['separated'])
  @Matches(DEPARTMENT, { message: 'supervisingDepartment must be a department code' })
  supervisingDepartment?: string;

  @ApiProperty({ description: 'Supervision object (监管对象)' }) @IsString() @Length(1, 500) supervisionObject: string;
  @ApiProperty({ description: 'Supervision measures (监管措施)' }) @IsString() @Length(1, 1000) measures: string;
  @ApiProperty({ description: 'Legal basis (设定依据)' }) @IsString() @Length(1, 2000) legalBasis: string;
  @ApiProperty({ description: 'Handling of results (监管结果处理)' }) @IsString() @Length(1, 1000) resultHandling: string;
  @ApiProperty({ description: 'Responsible leader (责任领导)' }) @IsString() @Length(1, 100) responsibleLeader: string;
  @ApiProperty({ description: 'Undertaking office (承办科室)' }) @IsString() @Length(1, 200) undertakingOffice: string;
  @ApiProperty({ description: 'Handler (经办人)' }) @IsString() @Length(1, 100) handler: string;

  @ApiPropertyOptional({ description: 'Claim deadline in working days (default 2)', minimum: 1, maximum: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(30)
  claimDeadlineDays?: number;

  @ApiPropertyOptional({ description: 'Working days to verify a commitment-based approval (default 20)', minimum: 1, maximum: 250 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(250)
  verificationDeadlineDays?: number;

  @ApiPropertyOptional({ description: 'In effect from (default: now)' })
  @IsOptional()
  @IsRfc3339('date-or-date-time')
  effectiveFrom?: string;
  @ApiPropertyOptional({ description: 'In effect until (exclusive; default: open-ended)' })
  @IsOptional()
  @IsRfc3339('date-or-date-time')
  effectiveTo?: string;
}
