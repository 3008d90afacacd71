import { runMigrationsOnly } from '@backbone/platform';
import { loadApprovalConfig } from './approval.config';
import { APPROVAL_SERVICE } from './approval.module';
import { APPROVAL_MIGRATIONS } from './migrations';

void runMigrationsOnly(APPROVAL_SERVICE, loadApprovalConfig, APPROVAL_MIGRATIONS);
