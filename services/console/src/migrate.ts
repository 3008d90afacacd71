import { runMigrationsOnly } from '@backbone/platform';
import { loadConsoleConfig } from './console.config';
import { CONSOLE_SERVICE } from './console.module';
import { CONSOLE_MIGRATIONS } from './migrations';

void runMigrationsOnly(CONSOLE_SERVICE, loadConsoleConfig, CONSOLE_MIGRATIONS);
