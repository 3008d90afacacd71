import type { RiskWarningLevel } from '@backbone/contracts';
import { decideRiskReview } from './risk-review';

const ORANGE_AND_RED: ReadonlySet<RiskWarningLevel> = new Set(['orange', 'red']);
const warning = (level: RiskWarningLevel) => ({ warningId: '6b8f0c1e-2a4d-4e8f-9c3b-1d2e3f4a5b6c', reference: 'YJ-1', level });

describe('stricter review of applications in the scope of an active risk warning (docs/domain.md §8)', () => {
  it.each([
    ['no warning: no effect', null, 'licence', 'granted', 'none', null],
    ['a refusal grants nothing: no effect', warning('red'), 'commitment', 'refused', 'none', null],
    ['a licence under blue: flagged for stricter review', warning('blue'), 'licence', 'granted', 'flagged', 'RISK_WARNING_STRICTER_REVIEW'],
    ['a licence under red: flagged', warning('red'), 'licence', 'granted', 'flagged', 'RISK_WARNING_STRICTER_REVIEW'],
    ['a commitment under yellow: flagged', warning('yellow'), 'commitment', 'granted', 'flagged', 'RISK_WARNING_STRICTER_REVIEW'],
    ['a commitment under orange: refused', warning('orange'), 'commitment', 'granted', 'refused', 'RISK_WARNING_NO_COMMITMENT'],
    ['a commitment under red: refused', warning('red'), 'commitment', 'granted', 'refused', 'RISK_WARNING_NO_COMMITMENT'],
    ['a filing under red: flagged', warning('red'), 'filing', 'granted', 'flagged', 'RISK_WARNING_STRICTER_REVIEW'],
  ] as const)('%s', (_rule, given, kind, outcome, result, code) => {
    const decision = decideRiskReview(given, { kind, outcome }, ORANGE_AND_RED);
    expect(decision).toMatchObject({ result, code });
  });

  it('no levels configured: a commitment under red is only flagged', () => {
    expect(decideRiskReview(warning('red'), { kind: 'commitment', outcome: 'granted' }, new Set()).result).toBe('flagged');
  });

  it('names the warning in the reason', () => {
    expect(decideRiskReview(warning('orange'), { kind: 'licence', outcome: 'granted' }, ORANGE_AND_RED).reason).toMatch(/YJ-1 \(orange\)/);
  });
});
