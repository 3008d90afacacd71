import type * as ChineseDays from 'chinese-days';

/** Loaded at the first deadline, not at boot (its holiday tables cost ~20 ms of a restart's CPU; ADR 0014). */
let calendar: typeof ChineseDays | undefined;

/** Mainland China's civil time: deadlines are counted in it. */
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The calendar date (YYYY-MM-DD) of an instant in China. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The end (23:59:59.999 China time) of the n-th working day after the day of `from`, counting public
 * holidays as days off and make-up working days (调休) as working days, per the `chinese-days` calendar.
 */
export function workingDayDeadline(from: Date, workingDays: number): Date {
  if (!Number.isInteger(workingDays) || workingDays < 1) throw new Error('workingDays must be a positive whole number');
  const key = `${Math.floor((from.getTime() + CHINA_OFFSET_MS) / DAY_MS)}:${workingDays}`;
  let deadline = deadlines.get(key);
  if (deadline === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    calendar ??= require('chinese-days') as typeof ChineseDays;
    deadline = new Date(`${calendar.findWorkday(workingDays, chinaDate(from))}T23:59:59.999+08:00`).getTime();
    if (deadlines.size >= MAX_REMEMBERED_DEADLINES) deadlines.clear();
    deadlines.set(key, deadline);
  }
  return new Date(deadline);
}

const DAY_MS = 86_400_000;
const MAX_REMEMBERED_DEADLINES = 1000;
/**
 * Deadlines by China day and number of working days: the calendar is fixed, and a drain asks the same
 * question for every task of the day (the library's lookup was ~4 % of supervision's CPU in a backlog drain, ADR 0034).
 */
const deadlines = new Map<string, number>();
