import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

export const QUEUE_STATUSES = ['assigned', 'claimed', 'returned', 'closed'] as const;

export class ListQueueQuery {
  @ApiPropertyOptional({ description: 'Operators: any department or all; others: their own (the default)' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  department?: string;

  @ApiPropertyOptional({ enum: QUEUE_STATUSES }) @IsOptional() @IsIn(QUEUE_STATUSES) status?: (typeof QUEUE_STATUSES)[number];

  @ApiPropertyOptional({ description: 'true: only unclaimed tasks past their claim deadline (oldest first)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue: must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ description: 'true: only escalated tasks' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'escalated: must be true or false' })
  escalated?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) itemCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'regionCode: must be a six-digit division code' })
  regionCode?: string;

  @ApiPropertyOptional({ description: 'The `next` of the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,200}$/, { message: 'cursor: must be the `next` value of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Transform(({ value }) => (value === undefined ? undefined : Number(value)))
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}
