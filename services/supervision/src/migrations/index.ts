import { MESSAGING_MIGRATIONS } from '@backbone/messaging';
import { SupervisionTables1763800000200 } from './1763800000200-supervision-tables';
import { SeedCatalog1763800000210 } from './1763800000210-seed-catalog';
import { Handoff1763800000220 } from './1763800000220-handoff';
import { WorkQueueIndexes1763800003100 } from './1763800003100-work-queue-indexes';
import { RiskWarnings1763800005100 } from './1763800005100-risk-warnings';
import { ReconciliationBothEnds1763800005160 } from './1763800005160-reconciliation-both-ends';
import { NotificationListing1763800005170 } from './1763800005170-notification-listing';
import { NotificationSettledByIndex1763800005180 } from './1763800005180-notification-settled-by-index';
import { ReconciliationByIndex1763800005220 } from './1763800005220-reconciliation-by-index';
import { DeadlineSweepReadsOnlyPending1763800005221 } from './1763800005221-deadline-sweep-reads-only-pending';
import { ReturnedTasksIndex1763800005270 } from './1763800005270-returned-tasks-index';

/** In order. The schema is what these say. */
export const SUPERVISION_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  SupervisionTables1763800000200,
  SeedCatalog1763800000210,
  Handoff1763800000220,
  WorkQueueIndexes1763800003100,
  RiskWarnings1763800005100,
  ReconciliationBothEnds1763800005160,
  NotificationListing1763800005170,
  NotificationSettledByIndex1763800005180,
  ReconciliationByIndex1763800005220,
  DeadlineSweepReadsOnlyPending1763800005221,
  ReturnedTasksIndex1763800005270,
];
