import { Injectable, PipeTransform } from '@nestjs/common';
import { usccProblem } from '@backbone/contracts';
import { DomainError } from '@backbone/platform';
import { CreditError } from '../credit.errors';

/** Throws INVALID_USCC (400) naming the broken rule, or returns the USCC. */
export function validUscc(uscc: string): string {
  const problem = usccProblem(uscc);
  if (problem === 'shape') {
    throw new DomainError(
      CreditError.INVALID_USCC,
      'uscc: must be an 18-character unified social credit code (digits and A-Y without I, O, S, V, Z)',
      400,
      { rule: 'shape' },
    );
  }
  if (problem === 'check-character') {
    throw new DomainError(CreditError.INVALID_USCC, 'uscc: has a wrong check character (GB 32100-2015)', 400, { rule: 'check-character' });
  }
  return uscc;
}

/** `@Param('uscc', UsccPipe)`: every route keyed by a USCC refuses a wrong one before doing anything. */
@Injectable()
export class UsccPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return validUscc(value);
  }
}
