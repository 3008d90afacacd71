import { Caller, ForbiddenError } from '@backbone/platform';
import { CreditError } from '../credit.errors';

/**
 * A market entity acting with its own credential (`ENTITY-<USCC>`, docs/domain.md §6.8) acts for its
 * own USCC only: a request about another entity is refused (403 NOT_OWN_ENTITY). Agencies' clients pass.
 */
export function assertActsFor(caller: Caller, uscc: string): void {
  if (caller.entity !== undefined && caller.entity !== uscc) {
    throw new ForbiddenError(CreditError.NOT_OWN_ENTITY, `this credential acts for ${caller.entity} only, not for ${uscc}`);
  }
}

/** Whether an entity's own credential may see a request about `uscc` (another entity's is not found, never confirmed). */
export function entitySees(caller: Caller, uscc: string): boolean {
  return caller.entity !== undefined && caller.entity === uscc;
}
