import { MESSAGING_MIGRATIONS } from '@backbone/messaging';
import { EnforcementTables1763800000300 } from './1763800000300-enforcement-tables';
import { EnforcementProcess1763800000310 } from './1763800000310-enforcement-process';
import { ComplaintTransfers1763800000320 } from './1763800000320-complaint-transfers';
import { ComplaintDeadlines1763800005100 } from './1763800005100-complaint-deadlines';
import { ComplaintCategory1763800005171 } from './1763800005171-complaint-category';
import { RepairedDecisions1763800005172 } from './1763800005172-repaired-decisions';
import { ComplaintSweepUnescalated1763800005211 } from './1763800005211-complaint-sweep-unescalated';

/** In order. The schema is what these say. */
export const ENFORCEMENT_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  EnforcementTables1763800000300,
  EnforcementProcess1763800000310,
  ComplaintTransfers1763800000320,
  ComplaintDeadlines1763800005100,
  ComplaintCategory1763800005171,
  RepairedDecisions1763800005172,
  ComplaintSweepUnescalated1763800005211,
];
