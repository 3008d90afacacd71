import { validateSync } from 'class-validator';
import { isValidUscc, IsUscc, usccCheckCharacter, usccProblem } from './uscc';

describe('USCC (GB 32100-2015)', () => {
  // The standard's own example, and codes whose check characters were computed independently.
  it.each(['91350100M000100Y43', '91110000802100433B', '91440300708461136T'])('accepts %s', (code) => {
    expect(usccProblem(code)).toBeNull();
    expect(isValidUscc(code)).toBe(true);
  });

  it('computes the check character from the first 17 characters', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(usccCheckCharacter('91110000802100433')).toBe('B');
  });

  it.each([
    ['91350100M000100Y44', 'check-character'],
    ['91110000802100433C', 'check-character'],
    ['91350100M000100Y4', 'shape'], // 17 characters
    ['91350100M000100Y433', 'shape'], // 19 characters
    ['91350100m000100y43', 'shape'], // lower case
    ['9135010OM000100Y43', 'shape'], // O is not in the alphabet
    ['91350100I000100Y43', 'shape'], // neither is I
    ['', 'shape'],
  ])('refuses %s (%s)', (code, problem) => {
    expect(usccProblem(code)).toBe(problem);
  });

  it('refuses what is not a string', () => {
    expect(usccProblem(undefined)).toBe('shape');
    expect(usccProblem(913501)).toBe('shape');
  });

  it('as a validation rule, names the field and the rule broken', () => {
    class Probe {
      @IsUscc() uscc: string;
    }
    const wrongCheck = Object.assign(new Probe(), { uscc: '91350100M000100Y44' });
    const wrongShape = Object.assign(new Probe(), { uscc: 'ABC' });
    expect(validateSync(wrongCheck)[0].constraints).toEqual({ isUscc: 'uscc has a wrong check character (GB 32100-2015)' });
    expect(Object.values(validateSync(wrongShape)[0].constraints ?? {})[0]).toMatch(/^uscc must be an 18-character/);
    expect(validateSync(Object.assign(new Probe(), { uscc: '91350100M000100Y43' }))).toEqual([]);
  });
});
