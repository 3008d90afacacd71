import { MessagingTables1763800000000 } from '@backbone/messaging';
import { ConsoleReadModel1763800003000 } from './1763800003000-console-read-model';

/** In order. The schema is what these say. */
export const CONSOLE_MIGRATIONS = [MessagingTables1763800000000, ConsoleReadModel1763800003000];
