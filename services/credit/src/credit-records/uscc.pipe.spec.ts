import { usccCheckCharacter } from '@backbone/contracts';
import { DomainError } from '@backbone/platform';
import { UsccPipe } from './uscc.pipe';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const pipe = new UsccPipe();
const bodies = ['91320700MA1XXXXX0', '12100000400000000', '91350100M00010000', '52320000MJ0000000', '93320703MA2000000'];

describe('UsccPipe (every route keyed by a USCC)', () => {
  it.each(bodies)('accepts %s with its right check character', (first17) => {
    const uscc = first17 + usccCheckCharacter(first17);
    expect(pipe.transform(uscc)).toBe(uscc);
  });

  it.each(bodies)('refuses %s with every wrong check character, naming the rule', (first17) => {
    const right = usccCheckCharacter(first17);
    for (const wrong of ALPHABET.split('').filter((c) => c !== right)) {
      let error: unknown;
      try {
        pipe.transform(first17 + wrong);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'INVALID_USCC', status: 400, details: { rule: 'check-character' } });
    }
  });

  it('refuses a code with a letter outside the alphabet as a shape problem', () => {
    expect(() => pipe.transform('91320700MA1XXXXXOZ')).toThrow(/18-character/);
  });
});
