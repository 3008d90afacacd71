import { startService } from '@backbone/messaging';
import { loadConsoleConfig } from './console.config';
import { CONSOLE_SERVICE, ConsoleModule } from './console.module';

void startService(CONSOLE_SERVICE, loadConsoleConfig, (config) => ConsoleModule.forRoot(config));
