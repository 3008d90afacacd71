import { publishUntil, samePenalties } from './decide-penalty.service';

describe('samePenalties (what the legal review approved is what is decided)', () => {
  const reviewed = {
    penalties: [{ kind: 'fine' as const, amount: 20000 }, { kind: 'licence_suspension' as const }],
    licenceAction: { action: 'suspend' as const, until: '2026-06-30', reason: 'a' },
  };

  it('ignores order and the wording of the reason', () => {
    expect(
      samePenalties(reviewed, {
        penalties: [{ kind: 'licence_suspension' }, { kind: 'fine', amount: 20000 }],
        licenceAction: { action: 'suspend', until: '2026-06-30', reason: 'b' },
      }),
    ).toBe(true);
  });

  it('sees another amount, kind, or licence action date', () => {
    expect(samePenalties(reviewed, { ...reviewed, penalties: [{ kind: 'fine', amount: 20001 }, { kind: 'licence_suspension' }] })).toBe(
      false,
    );
    expect(samePenalties(reviewed, { ...reviewed, penalties: [{ kind: 'fine', amount: 20000 }, { kind: 'licence_revocation' }] })).toBe(
      false,
    );
    expect(samePenalties(reviewed, { ...reviewed, licenceAction: { action: 'suspend', until: '2026-12-31', reason: 'a' } })).toBe(false);
  });
});

describe('publishUntil', () => {
  it('is the decision time plus the longest publication period of its penalty kinds', () => {
    const at = new Date('2026-03-05T00:00:00Z');
    const days = { warning: 90, fine: 365, licence_suspension: 1095 };
    expect(publishUntil(at, [{ kind: 'warning' }], days)).toEqual(new Date('2026-06-03T00:00:00Z'));
    expect(publishUntil(at, [{ kind: 'warning' }, { kind: 'fine', amount: 1 }], days)).toEqual(new Date('2027-03-05T00:00:00Z'));
    expect(publishUntil(at, [{ kind: 'licence_suspension' }], days)).toEqual(new Date('2029-03-04T00:00:00Z'));
  });
});
