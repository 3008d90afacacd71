import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { RiskWarningLiftedV1, RiskWarningRaisedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';
import { HeldRiskWarningRow } from '../held-risk-warning.entity';

/** Keeps the risk warnings supervision raises and lifts (one key per warning: a lift never overtakes its raise). */
@Controller()
export class KeepRiskWarningsMessageController {
  @EventPattern(RiskWarningRaisedV1.type)
  async raised(@Payload() event: RiskWarningRaisedV1, @Ctx() context: InboxContext) {
    await context.manager
      .createQueryBuilder()
      .insert()
      .into(HeldRiskWarningRow)
      .values({
        id: event.warningId,
        reference: event.reference,
        level: event.level,
        scope: event.scope,
        startsAt: new Date(event.startsAt),
        endsAt: new Date(event.endsAt),
        raisedAt: new Date(event.raisedAt),
        endedAt: null,
      })
      .orIgnore()
      .execute();
  }

  @EventPattern(RiskWarningLiftedV1.type)
  async lifted(@Payload() event: RiskWarningLiftedV1, @Ctx() context: InboxContext) {
    await context.manager
      .createQueryBuilder()
      .update(HeldRiskWarningRow)
      .set({ endedAt: new Date(event.liftedAt) })
      .where('id = :id AND ended_at IS NULL', { id: event.warningId })
      .execute();
  }
}
