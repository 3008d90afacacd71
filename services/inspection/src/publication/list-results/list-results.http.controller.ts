import { Controller, Get, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ParseUsccPipe, Public } from '@backbone/platform';
import { maskedName, publicUscc } from '../redaction';

/**
 * Published results (一公开), no key: within their publication period only, redacted (individual
 * businesses masked; no inspector, findings text or evidence).
 */
@ApiTags('public')
@Public()
@Controller('public/results')
export class ListResultsHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Published inspection results, redacted, newest first (at most 500)' })
  @ApiQuery({ name: 'taskId', required: false })
  @ApiQuery({ name: 'uscc', required: false })
  @ApiQuery({ name: 'department', required: false })
  async list(
    @Query('taskId', new ParseUUIDPipe({ optional: true })) taskId?: string,
    @Query('uscc', ParseUsccPipe) uscc?: string,
    @Query('department') department?: string,
  ) {
    const rows = await this.dataSource.query(
      `SELECT r.id, t.reference, t.title, r.uscc, e.name, e.entity_type, r.department, r.category, r.item_codes, r.violations,
              r.inspected_at, r.published_at, r.withdraw_at
       FROM inspection_result r JOIN inspection_task t ON t.id = r.task_id LEFT JOIN target_entity e ON e.uscc = r.uscc
       WHERE r.published_at IS NOT NULL AND r.withdrawn_at IS NULL
         AND ($1::uuid IS NULL OR r.task_id = $1) AND ($2::text IS NULL OR r.uscc = $2) AND ($3::text IS NULL OR r.department = $3)
       ORDER BY r.published_at DESC, r.id LIMIT 500`,
      [taskId ?? null, uscc ?? null, department ?? null],
    );
    return {
      results: rows.map((row: any) => ({
        id: row.id,
        taskReference: row.reference,
        taskTitle: row.title,
        uscc: publicUscc(row.uscc),
        name: row.name ? maskedName(row.name, row.entity_type) : null,
        department: row.department,
        category: row.category,
        itemCodes: row.item_codes,
        violationCodes: (row.violations as { code: string }[]).map((violation) => violation.code),
        inspectedAt: row.inspected_at.toISOString(),
        publishedAt: row.published_at.toISOString(),
        publishedUntil: row.withdraw_at?.toISOString() ?? null,
      })),
    };
  }
}
