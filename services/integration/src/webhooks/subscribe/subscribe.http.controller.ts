import { randomBytes, randomUUID } from 'node:crypto';
import { Body, Controller, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { eventClassOf } from '@backbone/contracts';
import { Caller, CurrentCaller, Roles } from '@backbone/platform';
import { IntegrationErrors } from '../../integration.errors';
import { SUBSCRIPTION_SELECT, subscriptionView, SubscriptionRow } from '../webhook-subscription.view';
import { SubscribeRequest } from './subscribe.request.dto';

@ApiTags('webhooks')
@Controller('webhooks/subscriptions')
export class SubscribeHttpController {
  constructor(private readonly dataSource: DataSource) {}

  @Roles('agency')
  @Post()
  @ApiOperation({
    summary: "Subscribe your department's system to event types: each matching event is POSTed to the URL, signed (Standard Webhooks)",
  })
  @ApiCreatedResponse({ description: 'The subscription, with its secret (shown this once)' })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED, UNKNOWN_EVENT_TYPE' })
  async subscribe(@Body() request: SubscribeRequest, @CurrentCaller() caller: Caller) {
    const unknown = request.eventTypes.filter((type) => !eventClassOf(type));
    if (unknown.length > 0) throw IntegrationErrors.unknownEventTypes(unknown);
    if (!URL.canParse(request.url) || !new URL(request.url).hostname) throw IntegrationErrors.webhookUrlInvalid();
    const id = randomUUID();
    const secret = request.secret ?? `whsec_${randomBytes(32).toString('base64')}`;
    await this.dataSource.query(`INSERT INTO webhook_subscription (id, department, url, secret, event_types) VALUES ($1, $2, $3, $4, $5)`, [
      id,
      caller.department,
      request.url,
      secret,
      request.eventTypes,
    ]);
    const [row]: SubscriptionRow[] = await this.dataSource.query(`${SUBSCRIPTION_SELECT} WHERE s.id = $1 GROUP BY s.id`, [id]);
    return { ...subscriptionView(row), secret };
  }
}
