import { startService } from '@backbone/messaging';
import { loadEnforcementConfig } from './enforcement.config';
import { ENFORCEMENT_SERVICE, EnforcementModule } from './enforcement.module';

void startService(ENFORCEMENT_SERVICE, loadEnforcementConfig, (config) => EnforcementModule.forRoot(config));
