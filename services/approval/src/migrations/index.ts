import { MessagingTables1763800000000 } from '@backbone/messaging';
import { ApprovalTables1763800000100 } from './1763800000100-approval-tables';
import { ApprovalLifecycle1763800000110 } from './1763800000110-approval-lifecycle';

/** In order. The schema is what these say. */
export const APPROVAL_MIGRATIONS = [MessagingTables1763800000000, ApprovalTables1763800000100, ApprovalLifecycle1763800000110];
