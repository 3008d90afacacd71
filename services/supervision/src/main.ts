import { startService } from '@backbone/messaging';
import { loadSupervisionConfig } from './supervision.config';
import { SUPERVISION_SERVICE, SupervisionModule } from './supervision.module';

void startService(SUPERVISION_SERVICE, loadSupervisionConfig, (config) => SupervisionModule.forRoot(config));
