import { DEFAULT_REPAIRED_DECISION_PUBLICITY, parseRepairedDecisionPublicity, publicityAfterRepair } from './repaired-decision.rules';

const table = parseRepairedDecisionPublicity(DEFAULT_REPAIRED_DECISION_PUBLICITY);
const repairedAt = new Date('2026-11-30T02:00:00Z');
const published = new Date('2027-11-30T02:00:00Z');

describe('a published decision after its credit repair (对修复状况进行记录和更新)', () => {
  it.each([
    ['a minor decision leaves the list', { severity: 'minor', publishUntil: published }, 'withdraw'],
    ['a general decision leaves the list', { severity: 'general', publishUntil: published }, 'withdraw'],
    ['a serious decision stays, marked repaired', { severity: 'serious', publishUntil: published }, 'annotate'],
    ['a decision without a recorded severity counts as general', { publishUntil: published }, 'withdraw'],
    ['a decision already repaired is left as it is', { severity: 'serious', publishUntil: published, repairedAt }, 'none'],
    ['a decision whose publication ended is left as it is', { severity: 'general', publishUntil: repairedAt }, 'none'],
    ['a decision never published is left as it is', { severity: 'general', publishUntil: null }, 'none'],
  ] as const)('%s', (_rule, decision, action) => {
    expect(publicityAfterRepair(decision, repairedAt, table)).toBe(action);
  });

  it.each([
    ['a severity left out', 'minor=withdraw,general=withdraw', /no action for serious/],
    ['an unknown action', 'minor=withdraw,general=hide,serious=annotate', /general: "hide" is not withdraw or annotate/],
    ['an unknown severity', `${DEFAULT_REPAIRED_DECISION_PUBLICITY},grave=withdraw`, /grave is not a severity/],
    ['a severity twice', `${DEFAULT_REPAIRED_DECISION_PUBLICITY},minor=annotate`, /minor is named twice/],
  ])('the table refuses %s', (_case, value, problem) => {
    expect(() => parseRepairedDecisionPublicity(value)).toThrow(problem);
  });
});
