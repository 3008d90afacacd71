import { startService } from '@backbone/messaging';
import { loadCreditConfig } from './credit.config';
import { CREDIT_SERVICE, CreditModule } from './credit.module';

void startService(CREDIT_SERVICE, loadCreditConfig, (config) => CreditModule.forRoot(config));
