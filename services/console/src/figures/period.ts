import { DomainError } from '@backbone/platform';
import { chinaDate, daysBetween, isWorkingDay, nextDay, startOfChinaDay } from '../calendar/working-hours';
import { ConsoleError } from '../console.errors';

export interface Period {
  from: string;
  to: string;
  /** [start, end) as instants: 00:00 China time of `from` to 00:00 of the day after `to`. */
  start: Date;
  end: Date;
  days: number;
  workingDays: number;
}

/** At most this many days in one request (a year and a bit). */
const MAX_DAYS = 400;

export function resolvePeriod(from: string | undefined, to: string | undefined, now: Date): Period {
  const last = to ?? chinaDate(now);
  const first = from ?? chinaDate(new Date(startOfChinaDay(last).getTime() - 29 * 86_400_000));
  if (Number.isNaN(Date.parse(first)) || Number.isNaN(Date.parse(last)))
    throw new DomainError(ConsoleError.BAD_PERIOD, 'from/to: must be real dates', 400);
  if (first > last) throw new DomainError(ConsoleError.BAD_PERIOD, `from: ${first} is after to: ${last}`, 422);
  const days = daysBetween(first, last);
  if (days.length > MAX_DAYS) throw new DomainError(ConsoleError.BAD_PERIOD, `from/to: a period is at most ${MAX_DAYS} days`, 422);
  return {
    from: first,
    to: last,
    start: startOfChinaDay(first),
    end: startOfChinaDay(nextDay(last)),
    days: days.length,
    workingDays: days.filter(isWorkingDay).length,
  };
}
