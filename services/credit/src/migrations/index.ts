import { MESSAGING_MIGRATIONS } from '@backbone/messaging';
import { CreditTables1763800000400 } from './1763800000400-credit-tables';
import { CreditStanding1763800000401 } from './1763800000401-credit-standing';
import { CreditRefresh1763800005000 } from './1763800005000-credit-refresh';
import { ComplaintSignals1763800005001 } from './1763800005001-complaint-signals';
import { RedList1763800005140 } from './1763800005140-red-list';
import { RepairSupplements1763800005173 } from './1763800005173-repair-supplements';

/** In order. The schema is what these say. */
export const CREDIT_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  CreditTables1763800000400,
  CreditStanding1763800000401,
  CreditRefresh1763800005000,
  ComplaintSignals1763800005001,
  RedList1763800005140,
  RepairSupplements1763800005173,
];
