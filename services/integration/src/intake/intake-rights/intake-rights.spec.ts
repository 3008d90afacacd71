import { DEFAULT_INTAKE_RIGHTS, parseIntakeRights, rightsTable } from './intake-rights';

describe('intake rights (INTAKE_RIGHTS)', () => {
  it('reads type=DEPT|DEPT;… into a table', () => {
    expect(rightsTable(parseIntakeRights(DEFAULT_INTAKE_RIGHTS))).toEqual({
      'backbone.integration.sector-approval-decided.v1': ['320700-HEALTH', '320700-MPA'],
      'backbone.integration.hotline-complaint-received.v1': ['320700-HOTLINE'],
      'backbone.integration.sector-inspection-recorded.v1': ['320700-HEALTH', '320700-MPA', '320700-SAMR'],
    });
  });

  it.each([
    ['a type that is not an intake type', 'backbone.approval.decided.v1=320700-HEALTH', 'is not an intake event type'],
    ['an entry without departments', 'backbone.integration.hotline-complaint-received.v1', 'is not type=DEPT|DEPT'],
    ['a malformed department', 'backbone.integration.hotline-complaint-received.v1=bad dept', 'is not a department code'],
    [
      'a type listed twice',
      'backbone.integration.hotline-complaint-received.v1=A;backbone.integration.hotline-complaint-received.v1=B',
      'is listed twice',
    ],
  ])('refuses %s, naming it', (_, value, message) => {
    expect(() => parseIntakeRights(value)).toThrow(message);
  });
});
