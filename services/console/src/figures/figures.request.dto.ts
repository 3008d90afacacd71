import { ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsRfc3339 } from '@backbone/platform';
import { CHART_HEIGHT, CHART_WIDTH_MAX, CHART_WIDTH_MIN, CHART_WIDTH_STEP } from './overview-charts';

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

/**
 * The overview's figures, and on request its two charts drawn as SVG for the page's first paint
 * (ADR 0045): `charts=svg` with the width of the page's chart box.
 */
export class OverviewFiguresQuery extends FiguresQuery {
  @ApiPropertyOptional({
    enum: ['svg'],
    description: 'svg: the answer also has `charts` (the trend and department charts as SVG documents, for a first paint)',
  })
  @IsOptional()
  @IsIn(['svg'], { message: 'charts: must be svg' })
  charts?: 'svg';

  @ApiPropertyOptional({
    type: 'integer',
    description: `Width of the SVG charts in px (with charts=svg; rounded to ${CHART_WIDTH_STEP}), height ${CHART_HEIGHT}`,
    minimum: CHART_WIDTH_MIN,
    maximum: CHART_WIDTH_MAX,
    default: 1280,
  })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt({ message: 'chartWidth: must be a whole number of px' })
  @Min(CHART_WIDTH_MIN, { message: `chartWidth: must be at least ${CHART_WIDTH_MIN}` })
  @Max(CHART_WIDTH_MAX, { message: `chartWidth: must be at most ${CHART_WIDTH_MAX}` })
  chartWidth?: number;
}
