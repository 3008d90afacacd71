import { DomainError } from '@backbone/platform';
import type { PenaltyKind } from '@backbone/contracts';
import { PENALTY_KINDS } from '@backbone/contracts';
import { SEEDED_BENCHMARKS } from '../migrations/1763800000310-enforcement-process';
import type { Penalty } from '../cases/penalty-decision.entity';
import { Benchmark, checkDiscretion, firstMinorList, Severity } from './discretion';

const BENCHMARKS: Benchmark[] = SEEDED_BENCHMARKS.map(([violationCode, severity, basis, measures, minFine, maxFine, firstMinor]) => ({
  violationCode,
  severity,
  basis,
  measures,
  minFine,
  maxFine,
  firstMinor,
}));

function check(codes: string[], severity: Severity, penalties: Penalty[], earlier: string[] = codes) {
  return checkDiscretion({ violationCodes: codes, severity, penalties, benchmarks: BENCHMARKS, earlierViolationCodes: new Set(earlier) });
}

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const monetary = (kind: PenaltyKind): Penalty => (kind === 'fine' || kind === 'confiscation' ? { kind, amount: 100 } : { kind });

// Repeat violations (earlier = the same code): the lists do not apply, the plain benchmark does.
describe.each(BENCHMARKS.map((b) => [`${b.violationCode}/${b.severity}`, b] as const))('benchmark %s', (_name, benchmark) => {
  const codes = [benchmark.violationCode];

  if (benchmark.minFine !== null && benchmark.maxFine !== null) {
    const { minFine, maxFine } = benchmark;
    it(`accepts a fine at ${minFine} and at ${maxFine}`, () => {
      expect(check(codes, benchmark.severity, [{ kind: 'fine', amount: minFine }]).benchmarks).toEqual([benchmark]);
      expect(check(codes, benchmark.severity, [{ kind: 'fine', amount: maxFine }]).list).toBeNull();
    });

    it(`refuses a fine of ${maxFine + 0.01}${minFine > 0 ? ` and of ${minFine - 0.01}` : ''}, naming the benchmark`, () => {
      const above = refusal(() => check(codes, benchmark.severity, [{ kind: 'fine', amount: maxFine + 0.01 }]));
      expect(above).toMatchObject({ code: 'OUTSIDE_BENCHMARK', status: 422 });
      expect(above.message).toContain(`${benchmark.violationCode}/${benchmark.severity}`);
      expect(above.message).toContain(benchmark.basis);
      if (minFine > 0)
        expect(refusal(() => check(codes, benchmark.severity, [{ kind: 'fine', amount: minFine - 0.01 }])).code).toBe('OUTSIDE_BENCHMARK');
    });
  } else {
    it('refuses any fine', () => {
      expect(refusal(() => check(codes, benchmark.severity, [{ kind: 'fine', amount: 1 }])).code).toBe('OUTSIDE_BENCHMARK');
    });
  }

  it('accepts each measure it allows, and refuses each it does not', () => {
    for (const kind of PENALTY_KINDS) {
      if (kind === 'fine') continue;
      if (benchmark.measures.includes(kind)) expect(() => check(codes, benchmark.severity, [monetary(kind)])).not.toThrow();
      else expect(refusal(() => check(codes, benchmark.severity, [monetary(kind)])).code).toBe('OUTSIDE_BENCHMARK');
    }
  });
});

describe('checkDiscretion', () => {
  it('refuses a violation without a benchmark at that severity, naming both', () => {
    expect(refusal(() => check(['FOOD-007'], 'serious', [{ kind: 'warning' }]))).toMatchObject({
      code: 'NO_BENCHMARK',
      details: { violationCode: 'FOOD-007', severity: 'serious' },
    });
    expect(refusal(() => check(['NO-SUCH-CODE'], 'general', [{ kind: 'warning' }])).code).toBe('NO_BENCHMARK');
  });

  it('weighs several violations: measures of any, fines added up to the sum of the maxima', () => {
    const codes = ['FOOD-HYGIENE-01', 'FOOD-007'];
    expect(() =>
      check(codes, 'general', [
        { kind: 'fine', amount: 30000 },
        { kind: 'confiscation', amount: 10 },
      ]),
    ).not.toThrow();
    expect(refusal(() => check(codes, 'general', [{ kind: 'fine', amount: 30000.01 }])).code).toBe('OUTSIDE_BENCHMARK');
    expect(refusal(() => check(codes, 'general', [{ kind: 'fine', amount: 999 }])).code).toBe('OUTSIDE_BENCHMARK');
  });
});

describe('the no-penalty and light-penalty lists (minor first violations)', () => {
  it('apply only to severity minor, for codes on a list, that the entity was never decided for before', () => {
    const hygiene = BENCHMARKS.filter((b) => b.violationCode === 'FOOD-HYGIENE-01' && b.severity === 'minor');
    const display = BENCHMARKS.filter((b) => b.violationCode === 'FOOD-007' && b.severity === 'minor');
    const expired = BENCHMARKS.filter((b) => b.violationCode === 'FOOD-001' && b.severity === 'minor');
    expect(firstMinorList('minor', hygiene, new Set())).toBe('light_penalty');
    expect(firstMinorList('minor', display, new Set())).toBe('no_penalty');
    expect(firstMinorList('minor', [...display, ...hygiene], new Set())).toBe('light_penalty');
    expect(firstMinorList('minor', expired, new Set())).toBeNull(); // not on a list
    expect(firstMinorList('minor', hygiene, new Set(['FOOD-HYGIENE-01']))).toBeNull(); // not the first
    expect(firstMinorList('minor', hygiene, new Set(['FOOD-007']))).toBe('light_penalty'); // another code before
    expect(
      firstMinorList(
        'general',
        BENCHMARKS.filter((b) => b.violationCode === 'FOOD-HYGIENE-01' && b.severity === 'general'),
        new Set(),
      ),
    ).toBeNull();
    expect(firstMinorList('minor', [...hygiene, ...expired], new Set())).toBeNull(); // one violation off the lists
  });

  it('light-penalty list: a first minor violation gets a warning and/or an order to correct, never a fine', () => {
    expect(check(['FOOD-HYGIENE-01'], 'minor', [{ kind: 'warning' }, { kind: 'order_to_correct' }], []).list).toBe('light_penalty');
    const fined = refusal(() => check(['FOOD-HYGIENE-01'], 'minor', [{ kind: 'fine', amount: 100 }], []));
    expect(fined).toMatchObject({ code: 'FIRST_MINOR_VIOLATION_LIST', details: { list: 'light_penalty' } });
    // The second time, the benchmark's own fine range applies.
    expect(check(['FOOD-HYGIENE-01'], 'minor', [{ kind: 'fine', amount: 100 }], ['FOOD-HYGIENE-01']).list).toBeNull();
  });

  it('no-penalty list: a first minor violation is only ordered to correct, not even warned', () => {
    expect(check(['FOOD-007'], 'minor', [{ kind: 'order_to_correct' }], []).list).toBe('no_penalty');
    expect(refusal(() => check(['FOOD-007'], 'minor', [{ kind: 'warning' }], [])).code).toBe('FIRST_MINOR_VIOLATION_LIST');
    expect(check(['FOOD-007'], 'minor', [{ kind: 'warning' }], ['FOOD-007']).list).toBeNull();
  });
});
