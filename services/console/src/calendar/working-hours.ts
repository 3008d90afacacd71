import { isWorkday } from 'chinese-days';

/** Mainland China's civil time (no daylight saving): the duty figures are counted in it. */
const CHINA_OFFSET_MS = 8 * 3600_000;
const HOUR_MS = 3600_000;

/** Office hours on a working day, China time: 09:00–17:00 (8 hours). */
export const OFFICE_OPENS_AT_HOUR = 9;
export const OFFICE_CLOSES_AT_HOUR = 17;

/** The calendar date (YYYY-MM-DD) of an instant in China. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a China calendar date starts (00:00 China time). */
export function startOfChinaDay(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/** The next calendar date. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 24 * HOUR_MS).toISOString().slice(0, 10);
}

/**
 * Whether a date is a working day in mainland China: public holidays are days off and the make-up
 * working days (调休) around them are working days, per the `chinese-days` calendar (as supervision
 * counts claim deadlines).
 */
export function isWorkingDay(day: string): boolean {
  return isWorkday(day);
}

/** Every date from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = nextDay(day)) days.push(day);
  return days;
}

/** A period's daily trend: every date from `from` to `to`, marked working day or not, with its figures. */
export function dailyTrend<T extends object>(
  period: { from: string; to: string },
  figures: (day: string) => T,
): Array<{ day: string; workingDay: boolean } & T> {
  return daysBetween(period.from, period.to).map((day) => ({ day, workingDay: isWorkingDay(day), ...figures(day) }));
}

/**
 * Office hours (09:00–17:00 China time, working days only) between two instants: how long a task
 * waited in the department's working time. A claim at 20:00 on the day of the push counts the
 * afternoon only; a weekend or a public holiday counts nothing; a make-up working day counts.
 */
export function workingHoursBetween(from: Date, to: Date): number {
  if (to.getTime() <= from.getTime()) return 0;
  let total = 0;
  for (const day of daysBetween(chinaDate(from), chinaDate(to))) {
    if (!isWorkingDay(day)) continue;
    const start = startOfChinaDay(day).getTime();
    const open = Math.max(from.getTime(), start + OFFICE_OPENS_AT_HOUR * HOUR_MS);
    const close = Math.min(to.getTime(), start + OFFICE_CLOSES_AT_HOUR * HOUR_MS);
    if (close > open) total += close - open;
  }
  return Math.round((total / HOUR_MS) * 100) / 100;
}
