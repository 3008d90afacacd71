import { runMigrationsOnly } from '@backbone/platform';
import { loadSupervisionConfig } from './supervision.config';
import { SUPERVISION_SERVICE } from './supervision.module';
import { SUPERVISION_MIGRATIONS } from './migrations';

void runMigrationsOnly(SUPERVISION_SERVICE, loadSupervisionConfig, SUPERVISION_MIGRATIONS);
