import { MessagingTables1763800000000 } from '@backbone/messaging';
import { IntegrationTables1763800004000 } from './1763800004000-integration-tables';

/** In order. The schema is what these say. */
export const INTEGRATION_MIGRATIONS = [MessagingTables1763800000000, IntegrationTables1763800004000];
