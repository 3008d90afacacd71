import { chinaDate, workingDayDeadline } from './working-days';

/**
 * Claim deadlines count working days in mainland China: public holidays are days off, and the
 * make-up working days (调休) around them are working days.
 */
describe('working-day deadlines', () => {
  it.each([
    // an ordinary week: Monday + 2 working days = Wednesday
    ['2025-06-09T02:00:00Z', 2, '2025-06-11'],
    // Friday + 2 = Tuesday (the weekend does not count)
    ['2025-06-13T02:00:00Z', 2, '2025-06-17'],
    // National Day 2025: 1–8 October off; Sunday 28 September is a make-up working day
    ['2025-09-26T02:00:00Z', 1, '2025-09-28'], // Friday + 1 = the make-up Sunday
    ['2025-09-28T02:00:00Z', 2, '2025-09-30'], // Monday and Tuesday are ordinary working days
    ['2025-09-30T02:00:00Z', 1, '2025-10-09'], // + 1 crosses the whole holiday
    ['2025-10-09T02:00:00Z', 2, '2025-10-11'], // Saturday 11 October is a make-up working day too
    // Spring Festival 2025: 28 Jan – 4 Feb off; Saturday 8 February is a make-up working day
    ['2025-02-05T02:00:00Z', 3, '2025-02-08'],
  ])('from %s, %i working day(s) → end of %s (China time)', (from, days, day) => {
    expect(workingDayDeadline(new Date(from), days)).toEqual(new Date(`${day}T23:59:59.999+08:00`));
  });

  it('counts from the day in China, not in UTC', () => {
    // 23:30 UTC on Sunday 8 June is already Monday 9 June in China.
    expect(chinaDate(new Date('2025-06-08T23:30:00Z'))).toBe('2025-06-09');
    expect(workingDayDeadline(new Date('2025-06-08T23:30:00Z'), 1)).toEqual(new Date('2025-06-10T23:59:59.999+08:00'));
  });

  it("remembers answers by China day: the last millisecond of a day and the first of the next stay apart, and a returned date is the caller's own", () => {
    for (let round = 0; round < 2; round += 1) {
      // Sunday 8 June 23:59:59.999 in China, then Monday 9 June 00:00 (the same UTC afternoon).
      expect(workingDayDeadline(new Date('2025-06-08T15:59:59.999Z'), 1)).toEqual(new Date('2025-06-09T23:59:59.999+08:00'));
      expect(workingDayDeadline(new Date('2025-06-08T16:00:00.000Z'), 1)).toEqual(new Date('2025-06-10T23:59:59.999+08:00'));
      expect(workingDayDeadline(new Date('2025-06-08T16:00:00.000Z'), 2)).toEqual(new Date('2025-06-11T23:59:59.999+08:00'));
    }
    const first = workingDayDeadline(new Date('2025-09-30T02:00:00Z'), 1);
    first.setFullYear(2000);
    expect(workingDayDeadline(new Date('2025-09-30T05:00:00Z'), 1)).toEqual(new Date('2025-10-09T23:59:59.999+08:00'));
  });

  it('refuses a count that is not a positive whole number', () => {
    expect(() => workingDayDeadline(new Date(), 0)).toThrow(/positive whole number/);
    expect(() => workingDayDeadline(new Date(), 1.5)).toThrow(/positive whole number/);
  });
});
