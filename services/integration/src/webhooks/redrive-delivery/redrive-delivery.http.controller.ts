import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Caller, CurrentCaller } from '@backbone/platform';
import { IntegrationConfig } from '../../integration.config';
import { IntegrationErrors } from '../../integration.errors';
import { ownSubscription } from '../subscription-access';
import { deliveryView, DELIVERY_COLUMNS } from '../webhook-delivery.view';
import { DeliveryIdPipe } from './delivery-id.pipe';

@ApiTags('webhooks')
@Controller('webhooks/deliveries')
export class RedriveDeliveryHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(IntegrationConfig) private readonly config: IntegrationConfig,
  ) {}

  @Post(':id/redrive')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a dead-lettered delivery again: it becomes pending with its attempts reset' })
  @ApiNotFoundResponse({ description: 'WEBHOOK_DELIVERY_NOT_FOUND' })
  @ApiForbiddenResponse({ description: 'NOT_OWN_SUBSCRIPTION' })
  @ApiConflictResponse({ description: 'WEBHOOK_DELIVERY_NOT_DEAD' })
  redrive(@Param('id', DeliveryIdPipe) id: string, @CurrentCaller() caller: Caller) {
    return this.dataSource.transaction(async (manager) => {
      const [delivery] = await manager.query(`SELECT id, subscription_id, status FROM webhook_delivery WHERE id = $1 FOR UPDATE`, [id]);
      if (!delivery) throw IntegrationErrors.deliveryNotFound(id);
      await ownSubscription(manager, this.config, delivery.subscription_id, caller.department);
      if (delivery.status !== 'dead') throw IntegrationErrors.deliveryNotDead(id, delivery.status);
      // TypeORM answers an UPDATE … RETURNING with [rows, affected count]
      const [[row]] = await manager.query(
        `UPDATE webhook_delivery SET status = 'pending', attempts = 0, next_attempt_at = now(), dead_at = NULL
         WHERE id = $1 RETURNING ${DELIVERY_COLUMNS}`,
        [id],
      );
      return deliveryView(row);
    });
  }
}
