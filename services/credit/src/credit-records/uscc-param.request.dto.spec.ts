import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { usccCheckCharacter } from '@backbone/contracts';
import { UsccParam } from './uscc-param.request.dto';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const bodies = ['91320700MA1XXXXX0', '12100000400000000', '91350100M00010000', '52320000MJ0000000', '93320703MA2000000'];

function problems(uscc: string) {
  return validateSync(plainToInstance(UsccParam, { uscc })).flatMap((error) =>
    Object.entries(error.constraints ?? {}).map(([rule, message]) => ({ field: error.property, rule, message })),
  );
}

describe('UsccParam (every route keyed by a USCC)', () => {
  it.each(bodies)('accepts %s with its right check character', (first17) => {
    expect(problems(first17 + usccCheckCharacter(first17))).toEqual([]);
  });

  it.each(bodies)('refuses %s with every wrong check character, naming the field and the rule', (first17) => {
    const right = usccCheckCharacter(first17);
    for (const wrong of ALPHABET.split('').filter((c) => c !== right)) {
      expect(problems(first17 + wrong)).toEqual([
        { field: 'uscc', rule: 'isUscc', message: 'uscc has a wrong check character (GB 32100-2015)' },
      ]);
    }
  });

  it.each([
    ['too short', '91320700MA000'],
    ['lower case', `91320700ma1xxxxx0${usccCheckCharacter('91320700MA1XXXXX0')}`],
    ['a letter outside the alphabet', '91320700MA1XXXXXOZ'],
  ])('refuses %s as a shape problem', (_, value) => {
    expect(problems(value)).toEqual([{ field: 'uscc', rule: 'isUscc', message: expect.stringMatching(/^uscc must be an 18-character/) }]);
  });
});
