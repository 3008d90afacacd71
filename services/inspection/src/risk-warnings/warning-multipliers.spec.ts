import { effectiveRatios } from '../draws/draw-ratios';
import { DEFAULT_RATIOS_BP } from '../draws/draw-ratios';
import { AppliedRiskWarning, withWarningMultipliers } from './warning-multipliers';

const applied = (level: AppliedRiskWarning['level'], ratioPercent: number): AppliedRiskWarning => ({
  warningId: '6b8f0c1e-2a4d-4e8f-9c3b-1d2e3f4a5b6c',
  reference: 'YJ-1',
  level,
  ratioPercent,
});
const GENERAL = [{ kind: 'general' as const, minRatioBp: 0, maxRatioBp: 10_000 }];

describe('random inspections of a risk warning’s scope draw at a higher ratio (docs/domain.md §8)', () => {
  it('no warning: the task’s own multipliers', () => {
    expect(withWarningMultipliers({ D: 150 }, [])).toEqual({ D: 150 });
  });

  it('every stratum at least the most serious warning’s percent; a higher multiplier of the task stays', () => {
    expect(withWarningMultipliers({ D: 400 }, [applied('blue', 120), applied('orange', 200)])).toEqual({
      A: 200,
      B: 200,
      C: 200,
      D: 400,
      K: 200,
    });
  });

  it('through the ratio rules: doubled under orange, still capped by the general items’ cap', () => {
    const multipliers = withWarningMultipliers({}, [applied('orange', 200)]);
    expect(effectiveRatios(DEFAULT_RATIOS_BP, GENERAL, multipliers)).toEqual({ A: 400, B: 1_000, C: 2_000, D: 6_000, K: 10_000 });
    expect(effectiveRatios(DEFAULT_RATIOS_BP, [{ kind: 'general', minRatioBp: 0, maxRatioBp: 2_000 }], multipliers).D).toBe(2_000);
  });
});
