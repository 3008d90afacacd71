import { DomainError } from '@backbone/platform';
import { assertDecidable, assertTransition, CASE_STATUSES, CASE_TRANSITIONS, CaseStatus } from './case-state';
import { EnforcementCase } from './enforcement-case.entity';

function aCase(overrides: Partial<EnforcementCase> = {}): EnforcementCase {
  return Object.assign(new EnforcementCase(), {
    id: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a01',
    correlationId: 'c0a8e7d2-0000-4000-8000-000000000001',
    uscc: '91320700MA00000001',
    approvalId: null,
    inspectionId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a02',
    department: '320700-SAMR',
    status: 'investigating',
    violationCodes: ['FOOD-001'],
    openedAt: new Date('2026-03-02T08:00:00Z'),
    decidedAt: null,
    ...overrides,
  });
}

function thrown(run: () => void): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('assertDecidable', () => {
  it("lets the case's own department decide a case under investigation or after legal review", () => {
    expect(() => assertDecidable(aCase(), '320700-SAMR')).not.toThrow();
    expect(() => assertDecidable(aCase({ status: 'under_review' }), '320700-SAMR')).not.toThrow();
  });

  it('refuses to decide a case that was only opened: the investigation comes first', () => {
    const error = thrown(() => assertDecidable(aCase({ status: 'opened' }), '320700-SAMR'));
    expect(error).toMatchObject({ code: 'ILLEGAL_TRANSITION', status: 409, details: { from: 'opened', to: 'decided' } });
    expect(error.message).toContain('from opened to decided');
  });

  it('refuses another department with 403 NOT_CASE_DEPARTMENT', () => {
    const error = thrown(() => assertDecidable(aCase(), '320700-HEALTH'));
    expect(error).toMatchObject({ code: 'NOT_CASE_DEPARTMENT', status: 403 });
    expect(error.message).toContain('320700-SAMR');
  });

  it('refuses a decided case with 409 CASE_ALREADY_DECIDED', () => {
    const decided = aCase({ status: 'decided', decidedAt: new Date('2026-03-05T10:00:00Z') });
    const error = thrown(() => assertDecidable(decided, '320700-SAMR'));
    expect(error).toMatchObject({ code: 'CASE_ALREADY_DECIDED', status: 409 });
    expect(error.message).toContain('2026-03-05T10:00:00.000Z');
  });

  it("does not tell another department whether someone else's case is decided", () => {
    const decided = aCase({ status: 'decided', decidedAt: new Date() });
    expect(thrown(() => assertDecidable(decided, '320700-HEALTH')).code).toBe('NOT_CASE_DEPARTMENT');
  });
});

describe('the transition table', () => {
  const legal: Array<[CaseStatus, CaseStatus]> = [
    ['opened', 'investigating'],
    ['opened', 'closed'],
    ['opened', 'transferred'],
    ['investigating', 'under_review'],
    ['investigating', 'decided'],
    ['investigating', 'closed'],
    ['investigating', 'transferred'],
    ['under_review', 'investigating'],
    ['under_review', 'decided'],
    ['under_review', 'closed'],
    ['under_review', 'transferred'],
    ['decided', 'served'],
    ['served', 'executed'],
    ['executed', 'closed'],
  ];

  it('is exactly the lawful course', () => {
    const table = CASE_STATUSES.flatMap((from) => CASE_TRANSITIONS[from].map((to) => [from, to]));
    expect(table.sort()).toEqual([...legal].sort());
  });

  it.each(legal)('allows %s → %s', (from, to) => {
    expect(() => assertTransition(aCase({ status: from }), to)).not.toThrow();
  });

  const illegal = CASE_STATUSES.flatMap((from) =>
    CASE_STATUSES.filter((to) => !legal.some(([f, t]) => f === from && t === to)).map((to) => [from, to] as [CaseStatus, CaseStatus]),
  );

  it.each(illegal)('refuses %s → %s with 409 ILLEGAL_TRANSITION naming both', (from, to) => {
    const error = thrown(() => assertTransition(aCase({ status: from }), to));
    expect(error).toMatchObject({ code: 'ILLEGAL_TRANSITION', status: 409, details: { from, to } });
    expect(error.message).toContain(`from ${from} to ${to}`);
  });

  it('has final states that go nowhere', () => {
    expect(CASE_TRANSITIONS.closed).toEqual([]);
    expect(CASE_TRANSITIONS.transferred).toEqual([]);
  });
});
