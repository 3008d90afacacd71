import { MESSAGING_MIGRATIONS } from '@backbone/messaging';
import { ConsoleReadModel1763800003000 } from './1763800003000-console-read-model';
import { DutyPerDay1763800003100 } from './1763800003100-duty-per-day';
import { ConsoleDutyRecords1763800003200 } from './1763800003200-console-duty-records';
import { ConsoleRandomInspection1763800003300 } from './1763800003300-console-random-inspection';
import { VacuumApproverDepartment1763800003400 } from './1763800003400-vacuum-approver-department';
import { ConsoleRiskWarnings1763800005130 } from './1763800005130-console-risk-warnings';
import { FiguresByIndex1763800005200 } from './1763800005200-figures-by-index';
import { QueuesByIndex1763800005201 } from './1763800005201-queues-by-index';

/** In order. The schema is what these say. */
export const CONSOLE_MIGRATIONS = [
  ...MESSAGING_MIGRATIONS,
  ConsoleReadModel1763800003000,
  DutyPerDay1763800003100,
  ConsoleDutyRecords1763800003200,
  ConsoleRandomInspection1763800003300,
  VacuumApproverDepartment1763800003400,
  ConsoleRiskWarnings1763800005130,
  FiguresByIndex1763800005200,
  QueuesByIndex1763800005201,
];
