/**
 * Unified Social Credit Code (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters from a 31-character alphabet (digits and upper-case letters without I, O, Z, S, V).
 * The 18th character is a check character computed from the first 17 with fixed weights.
 */
import { registerDecorator, ValidationOptions } from 'class-validator';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/** The JSON schema of a USCC (the check character is beyond a pattern; the description says so). */
export const USCC_JSON_SCHEMA = {
  type: 'string',
  /** A format of its own, so that a generator (Schemathesis, a client's faker) can be taught the check character. */
  format: 'uscc',
  pattern: SHAPE.source,
  minLength: 18,
  maxLength: 18,
  description: 'Unified social credit code with a valid GB 32100-2015 check character',
} as const;

/** The check character for the first 17 characters of a USCC. */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new Error('a USCC check character is computed from exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i]);
    if (value < 0) throw new Error(`'${first17[i]}' is not a USCC character`);
    sum += value * WEIGHTS[i];
  }
  return ALPHABET[(31 - (sum % 31)) % 31];
}

export type UsccProblem = 'shape' | 'check-character';

/** Why a string is not a valid USCC, or null when it is one. */
export function usccProblem(value: unknown): UsccProblem | null {
  if (typeof value !== 'string' || !SHAPE.test(value)) return 'shape';
  return usccCheckCharacter(value.slice(0, 17)) === value[17] ? null : 'check-character';
}

export function isValidUscc(value: unknown): value is string {
  return usccProblem(value) === null;
}

/** class-validator rule: the value is a USCC whose check character is right. */
export function IsUscc(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isUscc',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => isValidUscc(value),
        defaultMessage: (args) =>
          usccProblem(args?.value) === 'shape'
            ? `${args?.property} must be an 18-character unified social credit code (digits and A-Y without I, O, S, V, Z)`
            : `${args?.property} has a wrong check character (GB 32100-2015)`,
      },
    });
}
