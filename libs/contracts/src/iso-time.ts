const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));
const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00.000Z: from here on the year has more than four digits (and a sign). */
const YEAR_10000 = 253_402_300_800_000;
/** The texts of the last seconds written, up to their milliseconds (`2026-12-03T12:34:56.`), in 16 slots by second. */
const SLOT_MASK = 15;
const slotSeconds: number[] = new Array<number>(SLOT_MASK + 1).fill(-1);
const slotPrefixes: string[] = new Array<string>(SLOT_MASK + 1).fill('');

/**
 * `date.toISOString()`, the same text, in about a quarter of the time. Under Node 20, V8's builtin costs
 * about 1.2 µs a call, and the loop and the drain call it several times per event: each envelope's time,
 * the task events' deadlines and claims, the dates of the rows they insert (ADR 0104).
 *
 * Instants from 1970 to the end of 9999 are written here. The day is turned into year, month and day with
 * Howard Hinnant's `civil_from_days`. Any other instant goes to the builtin, and so does an invalid date,
 * which throws its RangeError. `iso-time.spec.ts` compares the two on the last millisecond of every day of
 * a whole 400-year cycle of the calendar and on random instants of the whole range.
 *
 * The text up to the milliseconds depends on the second alone, and an event's times fall in a few seconds
 * (now, a deadline, the decision's instant), each written several times: the last seconds' texts are kept,
 * and a time in one of them costs a lookup and two joins (ADR 0112: 0.68–0.90 → 0.37–0.41 µs a call with
 * the result serialised).
 */
export function isoString(date: Date): string {
  const time = date.getTime();
  if (!(time >= 0 && time < YEAR_10000)) return date.toISOString();
  const second = Math.floor(time / 1000);
  const slot = second & SLOT_MASK;
  if (slotSeconds[slot] === second) return slotPrefixes[slot] + THREE_DIGITS[time - second * 1000] + 'Z';
  const text = written(time);
  slotSeconds[slot] = second;
  slotPrefixes[slot] = text.slice(0, 20);
  return text;
}

/** The text of an instant from 1970 to the end of 9999, computed. */
function written(time: number): string {
  const days = Math.floor(time / DAY_MS);
  const ofDay = time - days * DAY_MS;
  // civil_from_days, for days since 1970-01-01: eras of 400 years, shifted to begin on 1 March.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const seconds = Math.floor(ofDay / 1000);
  return (
    `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}T${TWO_DIGITS[Math.floor(seconds / 3600)]}:` +
    `${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}.${THREE_DIGITS[ofDay % 1000]}Z`
  );
}

/**
 * A date as `JSON.stringify` writes it (`Date.prototype.toJSON`): its `isoString`, or null for an invalid
 * date. For rows and payloads whose dates are written as text before their JSON is.
 */
export function jsonTime(date: Date): string | null {
  return Number.isNaN(date.getTime()) ? null : isoString(date);
}
