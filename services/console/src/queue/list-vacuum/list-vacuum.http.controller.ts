import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, encodeCursor, SERVICE_CONFIG } from '@backbone/platform';
import type { ConsoleConfig } from '../../console.config';

import { scopedDepartment } from '../../scope';
import { PageConditions } from '../page-statement';

export class ListVacuumQuery {
  @ApiPropertyOptional({ description: 'true: also those routed since' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'includeRouted: must be true or false' })
  includeRouted?: boolean;

  @ApiPropertyOptional({ description: 'Approving department (operators); others: their own approvals' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  department?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 64) itemCode?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'regionCode: must be a six-digit division code' })
  regionCode?: string;
  @ApiPropertyOptional()
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

/** The supervision vacuum (监管真空): approvals no catalog entry covered, oldest first, cursor-paginated. */
@ApiTags('queue')
@Controller('vacuum')
export class ListVacuumHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Unrouted approvals, oldest first (routed ones on request), with the item a catalog entry must cover' })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListVacuumQuery) {
    const department = scopedDepartment(this.config, caller.department, query.department);
    const { text, params, limit } = vacuumStatement(department, query);
    const rows: any[] = await this.dataSource.query(text, params);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        ...row,
        // What would route it: a catalog entry for this item (and region), created at supervision's POST /catalog-entries.
        catalogEntryNeeded: { itemCode: row.itemCode, regionCode: row.regionCode, kind: row.kind ?? null },
      })),
      next: rows.length > limit && last ? encodeCursor([new Date(last.unroutedAt).toISOString(), last.approvalId]) : null,
    };
  }
}

/**
 * The vacuum list's statement for an approving department (or all) and the filters, oldest first, a page
 * (and one more) after the cursor. Those not routed yet, what the page refreshes every 10 s, are found by
 * `vacuum_approval_waiting` in that order, without walking the routed ones, and their approvals probed
 * by key (ADR 0084).
 */
export function vacuumStatement(
  department: string | undefined,
  query: ListVacuumQuery,
): { text: string; params: unknown[]; limit: number } {
  const limit = query.limit ?? 50;
  const where = new PageConditions(query.includeRouted ? 'true' : 'v.routed_at IS NULL');
  // The vacuum row's own copy of its approving department (migration 1763800003400, kept equal to the approval's): a
  // filter on the joined approval read every approval ever recorded to find a department's (ADR 0084).
  if (department) where.add('v.approver_department = ?', department);
  if (query.itemCode) where.add('v.item_code = ?', query.itemCode);
  if (query.regionCode) where.add('v.region_code = ?', query.regionCode);
  where.after(['v.unrouted_at', 'v.approval_id'], query.cursor);
  return {
    text: `SELECT v.approval_id AS "approvalId", v.uscc, f.entity_name AS "entityName", v.item_code AS "itemCode", v.region_code AS "regionCode",
              f.approver_department AS "approverDepartment", f.kind, v.reason, v.unrouted_at AS "unroutedAt",
              v.routed_at AS "routedAt", v.routed_department AS "routedDepartment"
       FROM vacuum_approval v LEFT JOIN approval_fact f ON f.approval_id = v.approval_id
       WHERE ${where.where} ORDER BY v.unrouted_at, v.approval_id LIMIT ${where.limit(limit)}`,
    params: where.params,
    limit,
  };
}
