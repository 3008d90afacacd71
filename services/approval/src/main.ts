import { startService } from '@backbone/messaging';
import { loadApprovalConfig } from './approval.config';
import { APPROVAL_SERVICE, ApprovalModule } from './approval.module';

void startService(APPROVAL_SERVICE, loadApprovalConfig, (config) => ApprovalModule.forRoot(config));
