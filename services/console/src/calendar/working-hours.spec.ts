import { chinaDate, daysBetween, isWorkingDay, workingHoursBetween } from './working-hours';

/**
 * Claim times are counted in office hours (09:00–17:00 China time) on working days: weekends and
 * public holidays count nothing, make-up working days (调休) count like any working day.
 */
describe('working hours', () => {
  it.each([
    // same working day, inside office hours
    ['2025-06-09T10:00:00+08:00', '2025-06-09T13:30:00+08:00', 3.5],
    // pushed at night, claimed next morning: only the morning counts
    ['2025-06-09T20:00:00+08:00', '2025-06-10T10:00:00+08:00', 1],
    // Friday 16:00 → Monday 10:00: one hour on Friday, one on Monday, nothing on the weekend
    ['2025-06-13T16:00:00+08:00', '2025-06-16T10:00:00+08:00', 2],
    // National Day 2025: 1–8 October off; Tuesday 30 September 16:00 → Thursday 9 October 10:00
    ['2025-09-30T16:00:00+08:00', '2025-10-09T10:00:00+08:00', 2],
    // Sunday 28 September 2025 is a make-up working day: a full day counts
    ['2025-09-27T12:00:00+08:00', '2025-09-29T09:00:00+08:00', 8],
    // Spring Festival 2025: 28 January – 4 February off
    ['2025-01-27T16:00:00+08:00', '2025-02-05T09:30:00+08:00', 1.5],
  ])('from %s to %s: %d office hours', (from, to, hours) => {
    expect(workingHoursBetween(new Date(from), new Date(to))).toBe(hours);
  });

  it('is zero when the end is not after the start', () => {
    expect(workingHoursBetween(new Date('2025-06-09T12:00:00+08:00'), new Date('2025-06-09T11:00:00+08:00'))).toBe(0);
  });

  it('marks holidays and make-up working days', () => {
    expect(isWorkingDay('2025-10-01')).toBe(false);
    expect(isWorkingDay('2025-09-28')).toBe(true); // a Sunday, made up
    expect(isWorkingDay('2025-10-11')).toBe(true); // a Saturday, made up
    expect(isWorkingDay('2025-06-14')).toBe(false); // an ordinary Saturday
  });

  it('counts dates in China time', () => {
    expect(chinaDate(new Date('2025-06-08T23:30:00Z'))).toBe('2025-06-09');
    expect(daysBetween('2025-09-29', '2025-10-02')).toEqual(['2025-09-29', '2025-09-30', '2025-10-01', '2025-10-02']);
  });
});
