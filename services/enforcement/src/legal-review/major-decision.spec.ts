import { PENALTY_KINDS } from '@backbone/contracts';
import { majorDecisionReasons, MAJOR_PENALTY_KINDS } from './major-decision';

describe('majorDecisionReasons', () => {
  it('is not major: a warning, an order to correct, or money up to the threshold', () => {
    expect(majorDecisionReasons([{ kind: 'warning' }, { kind: 'order_to_correct' }], 10000)).toEqual([]);
    expect(
      majorDecisionReasons(
        [
          { kind: 'fine', amount: 6000 },
          { kind: 'confiscation', amount: 4000 },
        ],
        10000,
      ),
    ).toEqual([]);
  });

  it('is major above the threshold, fines and confiscations added', () => {
    expect(majorDecisionReasons([{ kind: 'fine', amount: 10000.01 }], 10000)).toEqual([
      'fines and confiscations of 10000.01 yuan exceed 10000',
    ]);
    expect(
      majorDecisionReasons(
        [
          { kind: 'fine', amount: 6000 },
          { kind: 'confiscation', amount: 4001 },
        ],
        10000,
      ),
    ).toHaveLength(1);
    expect(majorDecisionReasons([{ kind: 'fine', amount: 6000 }], 5000)).toHaveLength(1);
  });

  it.each(MAJOR_PENALTY_KINDS)('is major with %s whatever the amount', (kind) => {
    expect(majorDecisionReasons([{ kind }], 10000)).toEqual([kind]);
  });

  it('names every reason', () => {
    expect(majorDecisionReasons([{ kind: 'fine', amount: 20000 }, { kind: 'licence_suspension' }], 10000)).toEqual([
      'fines and confiscations of 20000 yuan exceed 10000',
      'licence_suspension',
    ]);
  });

  it('covers every penalty kind one way or the other', () => {
    const minor = PENALTY_KINDS.filter((kind) => !MAJOR_PENALTY_KINDS.includes(kind));
    expect(minor).toEqual(['warning', 'order_to_correct', 'fine', 'confiscation']);
  });
});
