import { MessagingTables1763800000000 } from '@backbone/messaging';
import { ApprovalTables1763800000100 } from './1763800000100-approval-tables';

/** In order. The schema is what these say. */
export const APPROVAL_MIGRATIONS = [MessagingTables1763800000000, ApprovalTables1763800000100];
