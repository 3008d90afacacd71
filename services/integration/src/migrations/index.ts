import { MESSAGING_MIGRATIONS } from '@backbone/messaging';
import { IntegrationTables1763800004000 } from './1763800004000-integration-tables';
import { WebhookPollBySubscription1763800005190 } from './1763800005190-webhook-poll-by-subscription';
import { WebhookDeliveryPurge1763800005191 } from './1763800005191-webhook-delivery-purge';

/** In order. The schema is what these say. */
export const INTEGRATION_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  IntegrationTables1763800004000,
  WebhookPollBySubscription1763800005190,
  WebhookDeliveryPurge1763800005191,
];
