import { runMigrationsOnly } from '@backbone/platform';
import { loadCreditConfig } from './credit.config';
import { CREDIT_SERVICE } from './credit.module';
import { CREDIT_MIGRATIONS } from './migrations';

void runMigrationsOnly(CREDIT_SERVICE, loadCreditConfig, CREDIT_MIGRATIONS);
