import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { RiskWarningLiftedV1, RiskWarningRaisedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';

/**
 * The risk warnings supervision raises and lifts, kept here so that freezing a pool reads no other
 * service. A warning's events share its key, so its lift never overtakes its raise.
 */
@Controller()
export class KeepRiskWarningsMessageController {
  @EventPattern(RiskWarningRaisedV1.type)
  async raised(@Payload() event: RiskWarningRaisedV1, @Ctx() context: InboxContext) {
    await context.manager.query(
      `INSERT INTO risk_warning (id, reference, level, scope, starts_at, ends_at, raised_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO NOTHING`,
      [event.warningId, event.reference, event.level, JSON.stringify(event.scope), event.startsAt, event.endsAt, event.raisedAt],
    );
  }

  @EventPattern(RiskWarningLiftedV1.type)
  async lifted(@Payload() event: RiskWarningLiftedV1, @Ctx() context: InboxContext) {
    await context.manager.query(`UPDATE risk_warning SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL`, [
      event.warningId,
      event.liftedAt,
    ]);
  }
}
