import { Controller, Get, Inject, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { IntegrationConfig } from '../../integration.config';
import { ownSubscription } from '../subscription-access';
import { deliveryView, DELIVERY_COLUMNS } from '../webhook-delivery.view';
import { ListDeliveriesRequest } from './list-deliveries.request.dto';

@ApiTags('webhooks')
@Controller('webhooks/subscriptions')
export class ListDeliveriesHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(IntegrationConfig) private readonly config: IntegrationConfig,
  ) {}

  @Get(':id/deliveries')
  @ApiOperation({ summary: "A subscription's deliveries in order: status, attempts, last answer or error, next attempt" })
  @ApiNotFoundResponse({ description: 'WEBHOOK_SUBSCRIPTION_NOT_FOUND' })
  @ApiForbiddenResponse({ description: 'NOT_OWN_SUBSCRIPTION' })
  async list(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: ListDeliveriesRequest, @CurrentCaller() caller: Caller) {
    await ownSubscription(this.dataSource.manager, this.config, id, caller.department);
    const rows = await this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery
       WHERE subscription_id = $1 AND ($2::text IS NULL OR status = $2) AND id > $3 ORDER BY id LIMIT $4`,
      [id, query.status ?? null, query.after ?? 0, query.limit ?? 100],
    );
    return rows.map(deliveryView);
  }
}
