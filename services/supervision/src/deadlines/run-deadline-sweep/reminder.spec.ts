import { workingDayDeadline } from '@backbone/platform';
import { reminderDueAt } from './run-deadline-sweep.service';

/**
 * The reminder is due when less than one working day is left: from the start (00:00 China time) of the
 * last working day before the claim deadline. Deadlines cross holidays and make-up working days.
 */
describe('claim reminders', () => {
  it.each([
    // decided Tuesday 30 Sep 2025, 1 working day: National Day off 1–8 Oct → deadline Thursday 9 Oct
    ['2025-09-30T02:00:00Z', 1, '2025-10-09T00:00:00+08:00', '2025-10-09T23:59:59.999+08:00'],
    // decided Friday 26 Sep 2025, 1 working day → the make-up Sunday 28 Sep
    ['2025-09-26T02:00:00Z', 1, '2025-09-28T00:00:00+08:00', '2025-09-28T23:59:59.999+08:00'],
    // Spring Festival 2025: decided Wednesday 5 Feb, 3 working days → the make-up Saturday 8 Feb
    ['2025-02-05T02:00:00Z', 3, '2025-02-08T00:00:00+08:00', '2025-02-08T23:59:59.999+08:00'],
  ])('decided %s, %i working day(s): remind from %s, escalate after %s', (decided, days, remindFrom, deadline) => {
    const claimDeadline = workingDayDeadline(new Date(decided), days);
    expect(claimDeadline).toEqual(new Date(deadline));
    expect(reminderDueAt(claimDeadline)).toEqual(new Date(remindFrom));
  });
});
