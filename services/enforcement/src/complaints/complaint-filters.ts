import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsDateString, IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { SelectQueryBuilder } from 'typeorm';
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_CHANNELS,
  COMPLAINT_KINDS,
  ComplaintCategory,
  ComplaintChannel,
  ComplaintKind,
  IsUscc,
} from '@backbone/contracts';
import { COMPLAINT_STATUSES, Complaint, ComplaintStatus } from './complaint.entity';

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** The filters of a department's complaint queue and of the operators' view across departments. */
export class ComplaintFilters {
  @ApiPropertyOptional({ enum: COMPLAINT_STATUSES }) @IsOptional() @IsIn(COMPLAINT_STATUSES) status?: ComplaintStatus;
  @ApiPropertyOptional({ description: 'Only this entity', example: '91320700MA1MXXK01L' }) @IsOptional() @IsUscc() uscc?: string;
  @ApiPropertyOptional({ enum: COMPLAINT_KINDS }) @IsOptional() @IsIn(COMPLAINT_KINDS) kind?: ComplaintKind;
  @ApiPropertyOptional({ enum: COMPLAINT_CHANNELS }) @IsOptional() @IsIn(COMPLAINT_CHANNELS) channel?: ComplaintChannel;
  @ApiPropertyOptional({ enum: COMPLAINT_CATEGORIES, description: "The hotline's category of the matter" })
  @IsOptional()
  @IsIn(COMPLAINT_CATEGORIES)
  category?: ComplaintCategory;
  @ApiPropertyOptional({ description: "The channel's reference (the hotline's ticket number)", example: '12345-20261130-000123' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  externalRef?: string;
  @ApiPropertyOptional({ description: 'Only unanswered complaints past their answer deadline', type: Boolean })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  overdue?: boolean;
  @ApiPropertyOptional({ description: 'Only escalated complaints (督办)', type: Boolean })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  escalated?: boolean;
  @ApiPropertyOptional({
    description: 'Only complaints that repeat an earlier one about the same entity (true), or only first ones (false)',
    type: Boolean,
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  repeat?: boolean;
  @ApiPropertyOptional({ description: 'Registered at or after (RFC 3339)', format: 'date-time' })
  @IsOptional()
  @IsDateString({ strict: true })
  registeredFrom?: string;
  @ApiPropertyOptional({ description: 'Registered before (RFC 3339)', format: 'date-time' })
  @IsOptional()
  @IsDateString({ strict: true })
  registeredTo?: string;
}

/** Applies the filters to a query over `complaint` aliased `c`. */
export function filterComplaints(
  builder: SelectQueryBuilder<Complaint>,
  filters: ComplaintFilters,
  now: Date,
): SelectQueryBuilder<Complaint> {
  if (filters.status) builder.andWhere('c.status = :status', { status: filters.status });
  if (filters.uscc) builder.andWhere('c.uscc = :uscc', { uscc: filters.uscc });
  if (filters.kind) builder.andWhere('c.kind = :kind', { kind: filters.kind });
  if (filters.channel) builder.andWhere('c.channel = :channel', { channel: filters.channel });
  if (filters.category) builder.andWhere('c.category = :category', { category: filters.category });
  if (filters.externalRef) builder.andWhere('c.external_ref = :externalRef', { externalRef: filters.externalRef });
  if (filters.overdue) builder.andWhere(`c.status <> 'answered' AND c.answer_deadline < :now`, { now });
  if (filters.escalated) builder.andWhere('c.escalated_at IS NOT NULL');
  if (filters.repeat !== undefined) builder.andWhere(filters.repeat ? 'c.repeat_of IS NOT NULL' : 'c.repeat_of IS NULL');
  if (filters.registeredFrom) builder.andWhere('c.registered_at >= :registeredFrom', { registeredFrom: new Date(filters.registeredFrom) });
  if (filters.registeredTo) builder.andWhere('c.registered_at < :registeredTo', { registeredTo: new Date(filters.registeredTo) });
  return builder.orderBy('c.answer_deadline', 'ASC').addOrderBy('c.id', 'ASC');
}
