import { MESSAGING_MIGRATIONS } from '@backbone/messaging';
import { ConsoleReadModel1763800003000 } from './1763800003000-console-read-model';

/** In order. The schema is what these say. */
export const CONSOLE_MIGRATIONS = [...MESSAGING_MIGRATIONS, ConsoleReadModel1763800003000];
