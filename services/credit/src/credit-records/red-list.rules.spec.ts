import { DEFAULT_CREDIT_RULES } from '../credit-rules/credit-rules.config';
import type { CreditEntryKind, CreditFactDetail } from './credit-entry.entity';
import { fundingEligibility } from './credit-record.view';
import { creditStanding, Fact, nextReviewAt } from './credit-standing.rules';

const rules = DEFAULT_CREDIT_RULES;
const now = new Date('2026-06-01T00:00:00Z');
const fact = (id: string, kind: CreditEntryKind, occurredAt: string, detail: object): Fact => ({
  id,
  kind,
  occurredAt: new Date(occurredAt),
  detail: detail as CreditFactDetail,
});
const inspection = (result: string) => ({ inspectionId: 'i', department: 'D', result, violations: [] });
const penalty = (kind: string) => ({ caseId: 'c', decisionNumber: 'N', department: 'D', penalties: [{ kind }], licenceAction: null });
const commitment = (outcome: string) => ({ verificationId: 'v', approvalId: 'a', itemCode: 'I', department: 'D', outcome, findings: 'f' });
const repair = (covered: string[]) => ({ repairId: 'r', coveredEntryIds: covered, listEntryIds: [] });
const listEntry = (triggerEntryId: string) => ({ list: 'serious_dishonesty', ruleId: 'r', reason: 'because', triggerEntryId });

describe('the red list (守信激励, docs/domain.md §6): tier A, clean for 24 months, at least one compliant inspection', () => {
  it.each([
    ['no facts at all: nothing shows it is trustworthy', [], false, /0 compliant inspection/],
    [
      'one compliant inspection within 24 months',
      [fact('1', 'inspection', '2025-06-01T00:00:00Z', inspection('compliant'))],
      true,
      /tier A/,
    ],
    [
      'a compliant inspection older than 24 months',
      [fact('1', 'inspection', '2024-05-01T00:00:00Z', inspection('compliant'))],
      false,
      /0 compliant/,
    ],
    [
      'a fulfilled commitment does not stand for an inspection',
      [fact('1', 'commitment', '2025-06-01T00:00:00Z', commitment('fulfilled'))],
      false,
      /0 compliant/,
    ],
    [
      'a warning within 24 months (tier B)',
      [
        fact('1', 'inspection', '2025-06-01T00:00:00Z', inspection('compliant')),
        fact('2', 'penalty', '2025-07-01T00:00:00Z', penalty('warning')),
      ],
      false,
      /tier B/,
    ],
    [
      'a repaired penalty within 24 months still keeps it off (a clean record, not a repaired one)',
      [
        fact('1', 'inspection', '2025-06-01T00:00:00Z', inspection('compliant')),
        fact('2', 'penalty', '2025-01-01T00:00:00Z', penalty('warning')),
        fact('3', 'repair', '2025-05-01T00:00:00Z', repair(['2'])),
      ],
      false,
      /a penalty on 2025-01-01/,
    ],
    [
      'a penalty older than 24 months, repaired: on the list again',
      [
        fact('1', 'inspection', '2025-06-01T00:00:00Z', inspection('compliant')),
        fact('2', 'penalty', '2024-01-01T00:00:00Z', penalty('warning')),
        fact('3', 'repair', '2024-05-01T00:00:00Z', repair(['2'])),
      ],
      true,
      /tier A/,
    ],
    [
      'a failed inspection within 24 months',
      [
        fact('1', 'inspection', '2025-06-01T00:00:00Z', inspection('compliant')),
        fact('2', 'inspection', '2025-08-01T00:00:00Z', inspection('non_compliant')),
      ],
      false,
      /tier B/,
    ],
  ] as const)('%s', (_rule, facts, onRedList, reason) => {
    const standing = creditStanding([...facts], now, rules);
    expect(standing.redList).toMatchObject({ onRedList, incentives: onRedList ? ['fast_track_approval', 'fewer_inspections'] : [] });
    expect(standing.redList.reason).toMatch(reason);
  });

  it('the refresh comes back when the inspection that carries it leaves the clean period', () => {
    const facts = [fact('1', 'inspection', '2025-06-01T00:00:00Z', inspection('compliant'))];
    const standing = creditStanding(facts, now, rules);
    expect(nextReviewAt(facts, standing, rules)).toEqual(new Date('2027-06-01T00:00:00Z'));
    expect(creditStanding(facts, new Date('2027-06-01T00:00:00Z'), rules).redList.onRedList).toBe(false);
  });
});

describe('no_public_funding (限制政府资金支持) for agencies granting public funds', () => {
  it('a serious-dishonesty entry makes the entity ineligible, naming the list and since when', () => {
    const facts = [
      fact('1', 'penalty', '2026-01-01T00:00:00Z', penalty('licence_revocation')),
      fact('2', 'list_entry', '2026-01-01T00:00:00Z', listEntry('1')),
    ];
    const standing = creditStanding(facts, now, rules);
    expect(fundingEligibility(standing)).toEqual({
      eligible: false,
      restrictedBy: [{ list: 'serious_dishonesty', since: new Date('2026-01-01T00:00:00Z'), measure: 'no_public_funding' }],
    });
  });

  it('no list carrying the measure: eligible', () => {
    expect(fundingEligibility(creditStanding([], now, rules))).toEqual({ eligible: true, restrictedBy: [] });
  });
});
