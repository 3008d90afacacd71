import { usccCheckCharacter } from '@backbone/contracts';
import { DomainError } from '@backbone/platform';
import { validUscc } from './get-credit-record.http.controller';

const first17 = '91320700MA0000000';
const uscc = first17 + usccCheckCharacter(first17);
const wrongCheck = first17 + (usccCheckCharacter(first17) === '0' ? '1' : '0');

function problem(value: string): DomainError | undefined {
  try {
    validUscc(value);
    return undefined;
  } catch (error) {
    return error as DomainError;
  }
}

describe('validUscc', () => {
  it('accepts a USCC with the right check character', () => {
    expect(validUscc(uscc)).toBe(uscc);
  });

  it.each([
    ['too short', '91320700MA000'],
    ['lower case', uscc.toLowerCase()],
    ['a letter outside the alphabet', `${first17.slice(0, 16)}I${uscc[17]}`],
  ])('refuses %s as a shape problem', (_, value) => {
    expect(problem(value)).toMatchObject({ code: 'INVALID_USCC', status: 400, details: { rule: 'shape' } });
    expect(problem(value)?.message).toMatch(/^uscc: must be an 18-character/);
  });

  it('refuses a wrong check character, naming that rule', () => {
    expect(problem(wrongCheck)).toMatchObject({ code: 'INVALID_USCC', status: 400, details: { rule: 'check-character' } });
    expect(problem(wrongCheck)?.message).toBe('uscc: has a wrong check character (GB 32100-2015)');
  });
});
