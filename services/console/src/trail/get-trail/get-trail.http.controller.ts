import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller, ForbiddenError, NotFoundError, SERVICE_CONFIG } from '@backbone/platform';
import type { ConsoleConfig } from '../../console.config';
import { ConsoleError } from '../../console.errors';

/**
 * An approval's whole loop as one timeline across the services: every event carrying its correlation
 * id, in the order they happened (decided → assigned → claimed → inspected → case → penalty → credit…).
 */
@ApiTags('trail')
@Controller('trail')
export class GetTrailHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  @Get(':approvalId')
  @ApiOperation({ summary: "An approval's trail: every event of its loop, across the services, in time order" })
  async trail(@CurrentCaller() caller: Caller, @Param('approvalId', new ParseUUIDPipe()) approvalId: string) {
    const [approval] = await this.dataSource.query(
      `SELECT approval_id AS "approvalId", correlation_id AS "correlationId", uscc, entity_name AS "entityName", item_code AS "itemCode",
              region_code AS "regionCode", approver_department AS "approverDepartment", kind, outcome, decided_at AS "decidedAt"
       FROM approval_fact WHERE approval_id = $1`,
      [approvalId],
    );
    if (!approval) throw new NotFoundError('approval', approvalId);
    const departments: { department: string }[] = await this.dataSource.query(
      `SELECT DISTINCT department FROM task_assignment WHERE approval_id = $1`,
      [approvalId],
    );
    const involved = [approval.approverDepartment, ...departments.map((row) => row.department)];
    if (!this.config.isOperator(caller.department) && !involved.includes(caller.department)) {
      throw new ForbiddenError(
        ConsoleError.NOT_INVOLVED,
        `approval ${approvalId} concerns ${involved.join(', ')}, not ${caller.department}`,
      );
    }
    const events = await this.dataSource.query(
      `SELECT event_id AS "eventId", event_type AS type, source, occurred_at AS time, data
       FROM loop_event WHERE correlation_id = $1 ORDER BY occurred_at, recorded_at`,
      [approval.correlationId],
    );
    return {
      approval,
      events: events.map((event: { type: string }) => ({ ...event, service: event.type.split('.')[1] ?? 'unknown' })),
    };
  }
}
