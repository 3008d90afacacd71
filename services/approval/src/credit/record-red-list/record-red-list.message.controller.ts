import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CreditRedListChangedV1 } from '@backbone/contracts';
import { InboxContext } from '@backbone/messaging';

/** This service's copy of each entity's place on the red list (守信激励), the newest by effectiveAt. */
@Controller()
export class RecordRedListMessageController {
  @EventPattern(CreditRedListChangedV1.type)
  async redListChanged(@Payload() event: CreditRedListChangedV1, @Ctx() context: InboxContext) {
    await context.manager.query(
      `INSERT INTO red_list_standing (uscc, on_red_list, incentives, effective_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (uscc) DO UPDATE SET on_red_list = EXCLUDED.on_red_list, incentives = EXCLUDED.incentives, effective_at = EXCLUDED.effective_at
       WHERE red_list_standing.effective_at <= EXCLUDED.effective_at`,
      [event.uscc, event.onRedList, JSON.stringify(event.incentives), event.effectiveAt],
    );
  }
}
