import { Controller, Get, Inject, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { IntegrationConfig } from '../../integration.config';
import { ownSubscription } from '../subscription-access';
import { SUBSCRIPTION_SELECT, subscriptionView, SubscriptionRow } from '../webhook-subscription.view';

@ApiTags('webhooks')
@Controller('webhooks/subscriptions')
export class ListSubscriptionsHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(IntegrationConfig) private readonly config: IntegrationConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: "Your department's subscriptions (all, for operators), each with its delivery counts" })
  async list(@CurrentCaller() caller: Caller) {
    const operator = this.config.OPERATOR_DEPARTMENTS.split(',').includes(caller.department);
    const rows: SubscriptionRow[] = await this.dataSource.query(
      `${SUBSCRIPTION_SELECT} WHERE $1::boolean OR s.department = $2 GROUP BY s.id ORDER BY s.created_at`,
      [operator, caller.department],
    );
    return rows.map(subscriptionView);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription and its delivery status: pending, delivered, dead, oldest pending' })
  @ApiNotFoundResponse({ description: 'WEBHOOK_SUBSCRIPTION_NOT_FOUND' })
  @ApiForbiddenResponse({ description: 'NOT_OWN_SUBSCRIPTION' })
  async get(@Param('id', new ParseUUIDPipe()) id: string, @CurrentCaller() caller: Caller) {
    await ownSubscription(this.dataSource.manager, this.config, id, caller.department);
    const [row]: SubscriptionRow[] = await this.dataSource.query(`${SUBSCRIPTION_SELECT} WHERE s.id = $1 GROUP BY s.id`, [id]);
    return subscriptionView(row);
  }
}
