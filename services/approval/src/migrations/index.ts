import { MESSAGING_MIGRATIONS } from '@backbone/messaging';
import { ApprovalTables1763800000100 } from './1763800000100-approval-tables';
import { ApprovalLifecycle1763800000110 } from './1763800000110-approval-lifecycle';
import { RiskWarnings1763800005120 } from './1763800005120-risk-warnings';
import { RedList1763800005146 } from './1763800005146-red-list';
import { ApprovalLedger1763800005150 } from './1763800005150-approval-ledger';
import { ApprovalFillfactor1763800001150 } from './1763800001150-approval-fillfactor';
import { LicenceSweepByIndex1763800005210 } from './1763800005210-licence-sweep-by-index';

/** In order. The schema is what these say. */
export const APPROVAL_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  ApprovalTables1763800000100,
  ApprovalLifecycle1763800000110,
  RiskWarnings1763800005120,
  RedList1763800005146,
  ApprovalLedger1763800005150,
  ApprovalFillfactor1763800001150,
  LicenceSweepByIndex1763800005210,
];
