import { Controller, Delete, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { IntegrationConfig } from '../../integration.config';
import { ownSubscription } from '../subscription-access';
import { SUBSCRIPTION_SELECT, subscriptionView, SubscriptionRow } from '../webhook-subscription.view';

@ApiTags('webhooks')
@Controller('webhooks/subscriptions')
export class UnsubscribeHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(IntegrationConfig) private readonly config: IntegrationConfig,
  ) {}

  @Delete(':id')
  @ApiOperation({ summary: 'Disable a subscription: no new deliveries, pending ones are no longer sent (kept for inspection)' })
  @ApiNotFoundResponse({ description: 'WEBHOOK_SUBSCRIPTION_NOT_FOUND' })
  @ApiForbiddenResponse({ description: 'NOT_OWN_SUBSCRIPTION' })
  async disable(@Param('id', new ParseUUIDPipe()) id: string, @CurrentCaller() caller: Caller) {
    await this.dataSource.transaction(async (manager) => {
      await ownSubscription(manager, this.config, id, caller.department, true);
      await manager.query(`UPDATE webhook_subscription SET status = 'disabled', disabled_at = coalesce(disabled_at, now()) WHERE id = $1`, [
        id,
      ]);
    });
    const [row]: SubscriptionRow[] = await this.dataSource.query(`${SUBSCRIPTION_SELECT} WHERE s.id = $1 GROUP BY s.id`, [id]);
    return subscriptionView(row);
  }
}
