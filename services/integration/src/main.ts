import { startService } from '@backbone/messaging';
import { loadIntegrationConfig } from './integration.config';
import { INTEGRATION_SERVICE, IntegrationModule } from './integration.module';

void startService(INTEGRATION_SERVICE, loadIntegrationConfig, (config) => IntegrationModule.forRoot(config));
