import type { RiskWarningLevel } from '@backbone/contracts';
import { testUscc } from '@backbone/testing';
import { decideApplication, mayBeHeld, type ApplicationFacts, type DecisionPolicy } from './application-decision';
import type { DecideApprovalRequest } from './decide-approval.request.dto';
import { grantedLicenceRequest } from './decide-approval.request.fixture';

const USCC = testUscc(42);
const AT = new Date('2026-11-30T08:00:00Z');
const policy = (holdItems: string[] = []): DecisionPolicy => ({
  holdItems: new Set(holdItems),
  noCommitmentLevels: new Set<RiskWarningLevel>(['orange', 'red']),
});
const request = (overrides: Partial<DecideApprovalRequest> = {}): DecideApprovalRequest => ({
  ...grantedLicenceRequest(USCC),
  ...overrides,
});
const none: ApplicationFacts = { standing: null, redList: null, openCaseIds: [], warnings: [] };
const warning = (level: RiskWarningLevel, licenceItemCodes: string[] = []) => ({
  warningId: '6b8f0c1e-2a4d-4e8f-9c3b-1d2e3f4a5b6c',
  reference: 'YJ-1',
  level,
  scope: { usccs: [], regionPrefixes: ['3207'], industries: [], licenceItemCodes },
  startsAt: new Date('2026-11-01T00:00:00Z'),
  endsAt: new Date('2026-12-31T00:00:00Z'),
  endedAt: null,
  raisedAt: new Date('2026-11-01T00:00:00Z'),
});

describe('deciding a new application from the facts about its entity', () => {
  it('accepts and publishes an application nothing restricts', () => {
    const decision = decideApplication(policy(), '320700-APPROVAL', request(), none, AT);
    expect(decision).toMatchObject({ refused: false, held: false, riskReviewedAt: null });
    if (decision.refused) throw new Error('refused');
    expect(decision.approval).toMatchObject({
      publicationStatus: 'published',
      stricterReview: false,
      decidedAt: AT,
      licenceStatus: 'active',
    });
    expect(decision.check).toMatchObject({ result: 'accepted', approvalId: decision.approval.id, department: '320700-APPROVAL' });
  });

  it('refuses a commitment grant of an entity under no_commitment_approval: only the check, no approval', () => {
    const facts = {
      ...none,
      standing: { tier: 'D' as const, lists: ['serious_dishonesty' as const], measures: ['no_commitment_approval' as const] },
    };
    const decision = decideApplication(policy(), '320700-APPROVAL', request({ kind: 'commitment' }), facts, AT);
    expect(decision).toMatchObject({
      refused: true,
      check: { result: 'refused', code: 'JOINT_PUNISHMENT_NO_COMMITMENT', approvalId: null },
    });
  });

  it('flags under a risk warning that covers the application and announces the review; ignores one naming another item', () => {
    const flagged = decideApplication(policy(), '320700-APPROVAL', request(), { ...none, warnings: [warning('blue')] }, AT);
    expect(flagged).toMatchObject({
      refused: false,
      riskReviewedAt: AT,
      approval: { stricterReview: true, riskWarning: { level: 'blue' } },
    });
    const other = decideApplication(policy(), '320700-APPROVAL', request(), { ...none, warnings: [warning('red', ['OTHER'])] }, AT);
    expect(other).toMatchObject({ refused: false, riskReviewedAt: null, approval: { stricterReview: false, riskWarning: null } });
  });

  it('refuses a commitment grant under a red warning', () => {
    const decision = decideApplication(
      policy(),
      '320700-APPROVAL',
      request({ kind: 'commitment' }),
      { ...none, warnings: [warning('red')] },
      AT,
    );
    expect(decision).toMatchObject({ refused: true, check: { code: 'RISK_WARNING_NO_COMMITMENT' } });
  });

  it('holds a grant of a held item while the entity has an open case; a refusal or another item is never held', () => {
    const facts = { ...none, openCaseIds: ['c1'] };
    expect(decideApplication(policy(['FOOD']), 'D', request(), facts, AT)).toMatchObject({
      held: true,
      approval: { publicationStatus: 'held' },
    });
    expect(mayBeHeld(policy(['FOOD']), request())).toBe(true);
    expect(mayBeHeld(policy(['*']), request())).toBe(true);
    expect(mayBeHeld(policy(['FOOD']), request({ outcome: 'refused' }))).toBe(false);
    expect(mayBeHeld(policy(['OTHER']), request())).toBe(false);
    expect(mayBeHeld(policy(), request())).toBe(false);
  });

  it('puts an accepted grant of a red-listed entity on the fast track, never a flagged one', () => {
    const redList = { onRedList: true, incentives: ['fast_track_approval'] };
    expect(decideApplication(policy(), 'D', request(), { ...none, redList }, AT)).toMatchObject({ approval: { fastTrack: true } });
    const flagged = decideApplication(policy(), 'D', request(), { ...none, redList, warnings: [warning('blue')] }, AT);
    expect(flagged).toMatchObject({ approval: { fastTrack: false, stricterReview: true } });
  });
});
