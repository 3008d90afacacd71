import { CreditStandingSnapshot, decideCreditCheck, decideFastTrack } from './credit-check';

const blacklisted: CreditStandingSnapshot = {
  tier: 'D',
  lists: ['serious_dishonesty'],
  measures: ['no_commitment_approval', 'stricter_review', 'higher_inspection_ratio'],
};
const stricterOnly: CreditStandingSnapshot = { tier: 'C', lists: ['abnormal_operation'], measures: ['stricter_review'] };
const clean: CreditStandingSnapshot = { tier: 'A', lists: [], measures: [] };

describe('the credit check on every application (逢办必查)', () => {
  it('accepts an entity of which no credit record is held', () => {
    expect(decideCreditCheck(null, { kind: 'commitment', outcome: 'granted' })).toMatchObject({ result: 'accepted', code: null });
  });

  it('refuses a commitment-based grant to an entity with no_commitment_approval, naming list and measure', () => {
    const decision = decideCreditCheck(blacklisted, { kind: 'commitment', outcome: 'granted' });
    expect(decision.result).toBe('refused');
    expect(decision.code).toBe('JOINT_PUNISHMENT_NO_COMMITMENT');
    expect(decision.reason).toContain('serious_dishonesty');
    expect(decision.reason).toContain('no_commitment_approval');
  });

  it('accepts other kinds for the same entity, flagged for stricter review', () => {
    expect(decideCreditCheck(blacklisted, { kind: 'licence', outcome: 'granted' })).toMatchObject({
      result: 'flagged',
      code: 'JOINT_PUNISHMENT_STRICTER_REVIEW',
    });
    expect(decideCreditCheck(blacklisted, { kind: 'filing', outcome: 'granted' }).result).toBe('flagged');
  });

  it('does not stop a refusal decision from being recorded', () => {
    expect(decideCreditCheck(blacklisted, { kind: 'commitment', outcome: 'refused' }).result).toBe('accepted');
  });

  it('flags stricter_review without refusing, also for commitments', () => {
    expect(decideCreditCheck(stricterOnly, { kind: 'commitment', outcome: 'granted' })).toMatchObject({ result: 'flagged' });
  });

  it('accepts once the measure is lifted', () => {
    expect(decideCreditCheck(clean, { kind: 'commitment', outcome: 'granted' })).toMatchObject({ result: 'accepted', code: null });
    expect(
      decideCreditCheck({ tier: 'B', lists: [], measures: ['higher_inspection_ratio'] }, { kind: 'commitment', outcome: 'granted' }).result,
    ).toBe('accepted');
  });
});

describe('red list incentive (守信激励): the fast track (docs/domain.md §6)', () => {
  const onList = { onRedList: true, incentives: ['fast_track_approval', 'fewer_inspections'] };
  it.each([
    ['an accepted grant of a red-listed entity: fast track', { result: 'accepted' }, onList, 'granted', true],
    ['not on the red list', { result: 'accepted' }, { onRedList: false, incentives: [] }, 'granted', false],
    ['no red-list standing held', { result: 'accepted' }, null, 'granted', false],
    ['flagged (joint punishment or risk warning) wins over it', { result: 'flagged' }, onList, 'granted', false],
    ['a refusal decision grants nothing', { result: 'accepted' }, onList, 'refused', false],
    ['the incentive not configured', { result: 'accepted' }, { onRedList: true, incentives: ['fewer_inspections'] }, 'granted', false],
  ] as const)('%s', (_rule, decision, redList, outcome, fastTrack) => {
    const result = decideFastTrack(decision, redList, { outcome });
    expect(result.fastTrack).toBe(fastTrack);
    expect(result.code).toBe(fastTrack ? 'RED_LIST_FAST_TRACK' : null);
  });
});
