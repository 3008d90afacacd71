import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, decodeKeysetCursor, encodeKeysetCursor, isOperator } from '@backbone/platform';
import { SupervisionConfig } from '../../supervision.config';
import type { NotificationFeedback } from '../registration.entity';
import { ListNotificationsQuery } from './list-notifications.request.dto';

interface Row {
  id: string;
  position: string;
  registration_id: string;
  uscc: string;
  entity_name: string;
  item_code: string;
  item_name: string;
  licensing_department: string;
  competent_department: string;
  notified_at: Date;
  licence_due_at: Date;
  licensed_at: Date | null;
  licence_approval_id: string | null;
  clue_id: string | null;
  clue_at: Date | null;
  feedback: NotificationFeedback[];
}

/**
 * The double notifications (双告知) a licensing department received, newest first: which entity, which
 * licence it needs, by when, whether it was granted, the feedback given and any unlicensed-operation clue.
 * Scoped to the caller's department (operators: every department's, or one). Keyset-paginated.
 */
@ApiTags('registrations')
@Controller('notifications')
export class ListNotificationsHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: SupervisionConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "The double notifications the caller's department received as licensing department (operators: all), newest first, cursor-paginated",
  })
  async list(@CurrentCaller() caller: Caller, @Query() query: ListNotificationsQuery) {
    const limit = query.limit ?? 100;
    const department = isOperator(this.config, caller.department) ? (query.licensingDepartment ?? null) : caller.department;
    const after = query.cursor ? decodeKeysetCursor(query.cursor) : null;
    const rows: Row[] = await this.dataSource.query(
      `SELECT n.id, to_json(n.notified_at) #>> '{}' AS position, n.registration_id, n.uscc, n.entity_name, n.item_code, n.item_name,
              n.licensing_department, n.competent_department, n.notified_at, n.licence_due_at, n.licensed_at,
              n.licence_approval_id, n.clue_id, n.clue_at, n.feedback
         FROM entity_notification n
        WHERE ($1::text IS NULL OR n.licensing_department = $1)
          AND ($2::text IS NULL OR n.uscc = $2)
          AND ($3::timestamptz IS NULL OR (n.notified_at, n.id) < ($3::timestamptz, $4::uuid))
        ORDER BY n.notified_at DESC, n.id DESC
        LIMIT $5`,
      [department, query.uscc ?? null, after?.at ?? null, after?.id ?? null, limit],
    );
    const last = rows.length === limit ? rows[rows.length - 1] : undefined;
    return {
      items: rows.map((row) => ({
        id: row.id,
        registrationId: row.registration_id,
        uscc: row.uscc,
        entityName: row.entity_name,
        itemCode: row.item_code,
        itemName: row.item_name,
        licensingDepartment: row.licensing_department,
        competentDepartment: row.competent_department,
        notifiedAt: row.notified_at,
        licenceDueAt: row.licence_due_at,
        licence: row.licensed_at ? { grantedAt: row.licensed_at, approvalId: row.licence_approval_id } : null,
        unlicensedClue: row.clue_id ? { id: row.clue_id, at: row.clue_at } : null,
        feedback: row.feedback,
      })),
      next: last ? encodeKeysetCursor({ at: last.position, id: last.id }) : null,
    };
  }
}
