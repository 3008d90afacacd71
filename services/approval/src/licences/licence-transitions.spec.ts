import type { LicenceStatus } from '../approvals/approval.entity';
import { assertTransition, canTransition, dueTransition, IllegalLicenceTransitionError, LICENCE_STATES } from './licence-transitions';

const LEGAL: ReadonlyArray<[LicenceStatus, LicenceStatus]> = [
  ['active', 'suspended'],
  ['active', 'revoked'],
  ['active', 'expired'],
  ['active', 'cancelled'],
  ['suspended', 'active'],
  ['suspended', 'suspended'],
  ['suspended', 'revoked'],
  ['suspended', 'expired'],
  ['suspended', 'cancelled'],
  ['expired', 'cancelled'],
];

const isLegal = (from: LicenceStatus, to: LicenceStatus) => LEGAL.some(([f, t]) => f === from && t === to);
const ALL_PAIRS = LICENCE_STATES.flatMap((from) => LICENCE_STATES.map((to) => [from, to] as [LicenceStatus, LicenceStatus]));

describe('the licence transition table', () => {
  it('knows every state', () => {
    expect([...LICENCE_STATES].sort()).toEqual(['active', 'cancelled', 'expired', 'none', 'revoked', 'suspended']);
  });

  it.each(LEGAL)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each(ALL_PAIRS.filter(([from, to]) => !isLegal(from, to)))('refuses %s → %s with ILLEGAL_LICENCE_TRANSITION (409)', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    let error: unknown;
    try {
      assertTransition(from, to);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(IllegalLicenceTransitionError);
    expect(error).toMatchObject({ code: 'ILLEGAL_LICENCE_TRANSITION', status: 409, details: { from, to } });
  });

  it('keeps revoked, cancelled and none final', () => {
    for (const state of ['revoked', 'cancelled', 'none'] as const) {
      expect(LICENCE_STATES.filter((to) => canTransition(state, to))).toEqual([]);
    }
  });
});

describe('what the sweep does', () => {
  const asOf = new Date('2026-06-01T00:00:00Z');
  const before = new Date('2026-05-01T00:00:00Z');
  const after = new Date('2026-07-01T00:00:00Z');

  it('reactivates a suspension that ended', () => {
    expect(dueTransition({ status: 'suspended', suspendedUntil: before, validUntil: after }, asOf)).toMatchObject({ to: 'active' });
  });

  it('leaves a running suspension alone, and one without an end', () => {
    expect(dueTransition({ status: 'suspended', suspendedUntil: after, validUntil: null }, asOf)).toBeUndefined();
    expect(dueTransition({ status: 'suspended', suspendedUntil: null, validUntil: null }, asOf)).toBeUndefined();
  });

  it('expires an active licence past validUntil, and a suspended one', () => {
    expect(dueTransition({ status: 'active', suspendedUntil: null, validUntil: before }, asOf)).toMatchObject({ to: 'expired' });
    expect(dueTransition({ status: 'suspended', suspendedUntil: after, validUntil: before }, asOf)).toMatchObject({ to: 'expired' });
  });

  it('never touches a final or expired licence', () => {
    for (const status of ['revoked', 'cancelled', 'expired', 'none'] as const) {
      expect(dueTransition({ status, suspendedUntil: before, validUntil: before }, asOf)).toBeUndefined();
    }
  });

  it('only proposes transitions the table allows', () => {
    for (const status of LICENCE_STATES) {
      const due = dueTransition({ status, suspendedUntil: before, validUntil: before }, asOf);
      if (due) expect(canTransition(status, due.to)).toBe(true);
    }
  });
});
