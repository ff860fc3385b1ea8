/**
 * `years` calendar years after `from`, at the same UTC time of day. February 29 has no twin in a
 * common year, so it lands on February 28 (the registry convention: the term never runs longer
 * than the years bought): registered 2028-02-29 for 1 year → expires 2029-02-28 (for 4 years → 2032-02-29,
 * a leap year). A renewal counts from the current expiry, so 2029-02-28 renewed for 3 years is 2032-02-28.
 */
export function addYears(from: Date, years: number): Date {
  const year = from.getUTCFullYear() + years;
  const month = from.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(from.getUTCDate(), lastDay);
  return new Date(Date.UTC(year, month, day, from.getUTCHours(), from.getUTCMinutes(), from.getUTCSeconds(), from.getUTCMilliseconds()));
}
