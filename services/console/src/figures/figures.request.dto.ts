import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsRfc3339 } from '@backbone/platform';

export const GROUPINGS = ['department', 'item'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** A period in China dates (both days included) and the usual filters. */
export class FiguresQuery {
  @ApiPropertyOptional({ description: 'First day (China date, YYYY-MM-DD); default: 29 days before `to`', example: '2025-10-01' })
  @IsOptional()
  @IsRfc3339('date')
  from?: string;

  @ApiPropertyOptional({ description: 'Last day (China date, YYYY-MM-DD); default: today in China', example: '2025-10-31' })
  @IsOptional()
  @IsRfc3339('date')
  to?: string;

  @ApiPropertyOptional({ enum: GROUPINGS, description: 'Rows per department (default) or per supervision item' })
  @IsOptional()
  @IsIn(GROUPINGS)
  groupBy?: Grouping;

  @ApiPropertyOptional({ description: 'Only this department (operators); other departments always see their own' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  department?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) itemCode?: string;

  @ApiPropertyOptional({ description: 'Six-digit division code of the approving authority' })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'regionCode: must be a six-digit division code' })
  regionCode?: string;

  @ApiPropertyOptional({ description: 'The instant "overdue" and "open" are judged at; default: now' })
  @IsOptional()
  @IsRfc3339('date-time')
  asOf?: string;
}

/** Random-inspection figures: a period, a department (operators), the instant "overdue" and "awaiting" are judged at. */
export class InspectionFiguresQuery extends PickType(FiguresQuery, ['from', 'to', 'department', 'asOf'] as const) {}

/**
 * Enforcement and credit figures: a period, a department (operators), the instant "pending" is judged at.
 * A case concerns an entity, not an approval's item or division: a regionCode or itemCode is refused
 * (400 naming it) rather than silently ignored.
 */
export class EnforcementFiguresQuery extends PickType(FiguresQuery, ['from', 'to', 'department', 'asOf'] as const) {}
