import { runMigrationsOnly } from '@backbone/platform';
import { loadEnforcementConfig } from './enforcement.config';
import { ENFORCEMENT_SERVICE } from './enforcement.module';
import { ENFORCEMENT_MIGRATIONS } from './migrations';

void runMigrationsOnly(ENFORCEMENT_SERVICE, loadEnforcementConfig, ENFORCEMENT_MIGRATIONS);
