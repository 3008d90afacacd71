import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EntityManager } from 'typeorm';
import {
  ApprovalChangedV1,
  ApprovalDecidedV1,
  ApprovalDecidedV2,
  CaseClosedV1,
  CaseOpenedV1,
  CreditRedListChangedV1,
  CreditStatusChangedV1,
  EntityNotifiedV1,
  InspectionRecordedV2,
  LicenceStatusChangedV1,
} from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { entityTypeOf, regionOf } from '../target-entity.entity';

/**
 * Makes sure the entity is in the pool. An event never overwrites what an import said, except the name
 * when the event carries one (without a name, a new entity is named by its USCC until one comes).
 */
export async function knowEntity(manager: EntityManager, uscc: string, name?: string, regionCode = regionOf(uscc)): Promise<void> {
  await manager.query(
    `INSERT INTO target_entity (uscc, name, entity_type, region_code, source) VALUES ($1, $2, $3, $4, 'event')
     ON CONFLICT (uscc) DO ${name === undefined ? 'NOTHING' : 'UPDATE SET name = EXCLUDED.name, updated_at = now()'}`,
    [uscc, name ?? uscc, entityTypeOf(uscc), regionCode],
  );
}

/**
 * The target pool kept current from the other contexts' events: registrations (double notification),
 * approvals and licences, licence status, credit tier and lists, open enforcement cases. The draw reads
 * only this pool, never another service.
 */
@Controller()
export class KeepTargetPoolMessageController {
  @EventPattern(EntityNotifiedV1.type)
  async registered(@Payload() event: EntityNotifiedV1, @Ctx() context: InboxContext) {
    await knowEntity(context.manager, event.uscc, event.entityName);
  }

  @EventPattern(ApprovalDecidedV1.type)
  async decidedV1(@Payload() event: ApprovalDecidedV1, @Ctx() context: InboxContext) {
    await this.decided(event, context);
  }

  @EventPattern(ApprovalDecidedV2.type)
  async decidedV2(@Payload() event: ApprovalDecidedV2, @Ctx() context: InboxContext) {
    await this.decided(event, context);
  }

  private async decided(event: ApprovalDecidedV1 | ApprovalDecidedV2, context: InboxContext) {
    await knowEntity(context.manager, event.uscc, event.entityName, event.regionCode);
    if (event.outcome !== 'granted') return;
    await context.manager.query(
      `INSERT INTO target_licence (approval_id, uscc, item_code, approver_department, correlation_id, status, decided_at)
       VALUES ($1, $2, $3, $4, $5, 'active', $6) ON CONFLICT (approval_id) DO NOTHING`,
      [event.approvalId, event.uscc, event.itemCode, event.approverDepartment, context.correlationId, event.decidedAt],
    );
  }

  @EventPattern(ApprovalChangedV1.type)
  async changed(@Payload() event: ApprovalChangedV1, @Ctx() context: InboxContext) {
    await knowEntity(context.manager, event.uscc, event.entityName, event.regionCode);
    await context.manager.query(
      `UPDATE target_licence SET item_code = $2, status = CASE WHEN $3 = 'cancelled' THEN 'cancelled' ELSE status END WHERE approval_id = $1`,
      [event.approvalId, event.itemCode, event.change],
    );
  }

  @EventPattern(LicenceStatusChangedV1.type)
  async licenceStatus(@Payload() event: LicenceStatusChangedV1, @Ctx() context: InboxContext) {
    await context.manager.query(`UPDATE target_licence SET status = $2 WHERE approval_id = $1`, [event.approvalId, event.to]);
  }

  /** The newest standing by effectiveAt wins; an older one arriving late changes nothing. */
  @EventPattern(CreditStatusChangedV1.type)
  async creditStatus(@Payload() event: CreditStatusChangedV1, @Ctx() context: InboxContext) {
    await knowEntity(context.manager, event.uscc);
    await context.manager.query(
      `UPDATE target_entity SET credit_tier = $2, credit_lists = $3, credit_effective_at = $4, credit_measures = $5, updated_at = now()
       WHERE uscc = $1 AND (credit_effective_at IS NULL OR credit_effective_at <= $4)`,
      [event.uscc, event.tier, event.lists, event.effectiveAt, event.measures],
    );
  }

  /** The red list (守信激励): credit publishes each entry and exit once, in order per entity. */
  @EventPattern(CreditRedListChangedV1.type)
  async redList(@Payload() event: CreditRedListChangedV1, @Ctx() context: InboxContext) {
    await knowEntity(context.manager, event.uscc);
    await context.manager.query(`UPDATE target_entity SET red_list = $2, updated_at = now() WHERE uscc = $1`, [
      event.uscc,
      event.onRedList && event.incentives.includes('fewer_inspections'),
    ]);
  }

  /** An ad-hoc inspection (supervision) is the entity's last inspection too; random results are applied where recorded. */
  @EventPattern(InspectionRecordedV2.type)
  async inspected(@Payload() event: InspectionRecordedV2, @Ctx() context: InboxContext) {
    if (event.programme !== 'ad_hoc') return;
    await knowEntity(context.manager, event.uscc);
    await context.manager.query(
      `UPDATE target_entity SET last_inspected_at = greatest(last_inspected_at, $2), updated_at = now() WHERE uscc = $1`,
      [event.uscc, event.inspectedAt],
    );
  }

  @EventPattern(CaseOpenedV1.type)
  async caseOpened(@Payload() event: CaseOpenedV1, @Ctx() context: InboxContext) {
    await knowEntity(context.manager, event.uscc);
    await context.manager.query(`INSERT INTO target_open_case (case_id, uscc) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      event.caseId,
      event.uscc,
    ]);
    await this.countCases(context.manager, event.uscc);
  }

  @EventPattern(CaseClosedV1.type)
  async caseClosed(@Payload() event: CaseClosedV1, @Ctx() context: InboxContext) {
    await context.manager.query(`DELETE FROM target_open_case WHERE case_id = $1`, [event.caseId]);
    await this.countCases(context.manager, event.uscc);
  }

  private async countCases(manager: EntityManager, uscc: string) {
    await manager.query(
      `UPDATE target_entity SET open_cases = (SELECT count(*) FROM target_open_case WHERE uscc = $1), updated_at = now() WHERE uscc = $1`,
      [uscc],
    );
  }
}
