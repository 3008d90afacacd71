import { ForbiddenError } from '@backbone/platform';
import type { ConsoleConfig } from './console.config';
import { ConsoleError } from './console.errors';

/**
 * The console shows a department its own data and operators everything (the REST API's scoping):
 * the department filter a caller may use. An operator may filter by any department or none; another
 * department gets its own, and asking for someone else's is refused.
 */
export function scopedDepartment(config: ConsoleConfig, caller: string, requested?: string): string | undefined {
  if (config.isOperator(caller)) return requested;
  if (requested && requested !== caller) {
    throw new ForbiddenError(ConsoleError.OWN_DEPARTMENT_ONLY, `department: ${caller} may see its own figures only, not ${requested}'s`);
  }
  return caller;
}
