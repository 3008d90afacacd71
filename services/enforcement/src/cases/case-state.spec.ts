import { DomainError } from '@backbone/platform';
import { assertDecidable } from './case-state';
import { EnforcementCase } from './enforcement-case.entity';

function aCase(overrides: Partial<EnforcementCase> = {}): EnforcementCase {
  return Object.assign(new EnforcementCase(), {
    id: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a01',
    correlationId: 'c0a8e7d2-0000-4000-8000-000000000001',
    uscc: '91320700MA00000001',
    approvalId: null,
    inspectionId: '5d0c1c9e-4a51-4d0e-9a53-2f7f4f1d8a02',
    department: '320700-SAMR',
    status: 'opened',
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
  it("lets the case's own department decide an open case", () => {
    expect(() => assertDecidable(aCase(), '320700-SAMR')).not.toThrow();
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
