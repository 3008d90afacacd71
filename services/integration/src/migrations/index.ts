import { MESSAGING_MIGRATIONS } from '@backbone/messaging';
import { IntegrationTables1763800004000 } from './1763800004000-integration-tables';

/** In order. The schema is what these say. */
export const INTEGRATION_MIGRATIONS = [...MESSAGING_MIGRATIONS, IntegrationTables1763800004000];
