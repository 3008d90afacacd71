import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { IsNull } from 'typeorm';
import { CaseClosedV1, CaseOpenedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { Approval } from '../../approvals/approval.entity';
import { ApprovalPublication } from '../../approvals/approval-publication.service';
import { EnforcementCaseProjection } from '../enforcement-case-projection.entity';
import { lockEntity } from '../entity-lock';
import { writeApproval } from '../../approvals/approval-rows';

/**
 * Open enforcement cases per entity. When the last open case of an entity closes, its held approvals
 * are released: published as `approval decided` (v2) on their own loops, caused by the closing event.
 */
@Controller()
export class TrackOpenCasesMessageController {
  private readonly log = new Logger(TrackOpenCasesMessageController.name);

  constructor(private readonly publication: ApprovalPublication) {}

  @EventPattern(CaseOpenedV1.type)
  async caseOpened(@Payload() event: CaseOpenedV1, @Ctx() context: InboxContext) {
    await lockEntity(context.manager, event.uscc);
    // A close seen before its open (should not happen on one keyed topic) keeps the case closed.
    await context.manager.query(
      `INSERT INTO enforcement_case_projection (case_id, uscc, department, opened_at, open_event_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (case_id) DO UPDATE SET opened_at = EXCLUDED.opened_at, open_event_id = EXCLUDED.open_event_id`,
      [event.caseId, event.uscc, event.department, context.envelope.time, context.envelope.id],
    );
  }

  @EventPattern(CaseClosedV1.type)
  async caseClosed(@Payload() event: CaseClosedV1, @Ctx() context: InboxContext) {
    const manager = context.manager;
    await lockEntity(manager, event.uscc);
    await manager.query(
      `INSERT INTO enforcement_case_projection (case_id, uscc, department, closed_at, close_event_id)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (case_id) DO UPDATE SET closed_at = EXCLUDED.closed_at, close_event_id = EXCLUDED.close_event_id`,
      [event.caseId, event.uscc, event.department, event.closedAt, context.envelope.id],
    );
    const stillOpen = await manager.count(EnforcementCaseProjection, { where: { uscc: event.uscc, closedAt: IsNull() } });
    if (stillOpen > 0) return;
    const held = await manager.find(Approval, {
      where: { uscc: event.uscc, publicationStatus: 'held' },
      order: { createdAt: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const approval of held) {
      approval.publicationStatus = 'published';
      approval.releasedAt = new Date();
      await writeApproval(manager, approval);
      await this.publication.publishDecided(manager, approval, context.envelope.id);
      this.log.log(`approval ${approval.id} released: the last open case of ${event.uscc} (${event.caseId}) closed`);
    }
  }
}
