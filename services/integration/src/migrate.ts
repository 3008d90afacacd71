import { runMigrationsOnly } from '@backbone/platform';
import { loadIntegrationConfig } from './integration.config';
import { INTEGRATION_SERVICE } from './integration.module';
import { INTEGRATION_MIGRATIONS } from './migrations';

void runMigrationsOnly(INTEGRATION_SERVICE, loadIntegrationConfig, INTEGRATION_MIGRATIONS);
