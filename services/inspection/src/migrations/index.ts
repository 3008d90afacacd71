import { MESSAGING_MIGRATIONS } from '@backbone/messaging';
import { InspectionPools1763800002000 } from './1763800002000-inspection-pools';
import { InspectionPlansTasks1763800002010 } from './1763800002010-inspection-plans-tasks';
import { InspectionCheckReminders1763800002020 } from './1763800002020-inspection-check-reminders';
import { RiskWarnings1763800005110 } from './1763800005110-risk-warnings';
import { CreditMeasuresRedList1763800005145 } from './1763800005145-credit-measures-red-list';
import { InspectionSweepByIndex1763800005230 } from './1763800005230-inspection-sweep-by-index';
import { InspectionChecksStillToChase1763800005231 } from './1763800005231-inspection-checks-still-to-chase';

/** In order. The schema is what these say. */
export const INSPECTION_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  InspectionPools1763800002000,
  InspectionPlansTasks1763800002010,
  InspectionCheckReminders1763800002020,
  RiskWarnings1763800005110,
  CreditMeasuresRedList1763800005145,
  InspectionSweepByIndex1763800005230,
  InspectionChecksStillToChase1763800005231,
];
