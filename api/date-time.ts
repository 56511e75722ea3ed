/**
 * Date-times exactly as the apiserver accepts them. A CRD field with `format: date-time` is
 * checked by kube-openapi's `strfmt.IsDateTime`, which is laxer than RFC 3339 §5.6 read strictly:
 * it lowercases the text and splits it on `t`, so
 * - `T` and `t` both separate date and time, and `Z` and `z` both mean UTC (RFC 3339 allows
 *   lowercase too);
 * - the date is `YYYY-MM-DD` and must exist (Go's `time.Parse("2006-01-02")`);
 * - the time is `hh:mm:ss` (hours ≤ 23, minutes and seconds ≤ 59), then an optional fraction whose
 *   separator may be ANY character (the pattern's `.` is unescaped), then `z` or `±hh:mm` (any
 *   two digits: `+99:99` passes);
 * - anything after a second `t` is ignored (`2026-01-01T00:00:00Zt…` passes).
 * oos accepts exactly these, so an object the cluster holds is never invalid to oos, and reads
 * each as the instant it denotes.
 */

const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const TIME =
  /^([0-9]{2}):([0-9]{2}):([0-9]{2})(?:[^\n]([0-9]+))?(?:([zZ])|([+-])([0-9]{2}):([0-9]{2}))$/u;

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Milliseconds since the epoch of a date-time the apiserver accepts (`format: date-time`), or
 * undefined when it would refuse it. Fractions finer than a millisecond are truncated.
 */
export function parseApiDateTime(text: string): number | undefined {
  if (text.length < 4) return undefined;
  const parts = text.split(/[tT]/);
  const [datePart, timePart] = parts;
  if (datePart === undefined || timePart === undefined) return undefined;
  const date = DATE.exec(datePart);
  const time = TIME.exec(timePart);
  if (date === null || time === null) return undefined;
  const [year, month, day] = [date[1], date[2], date[3]].map(Number) as [number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return undefined;
  const [hours, minutes, seconds] = [time[1], time[2], time[3]].map(Number) as [
    number,
    number,
    number,
  ];
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  const fraction = Number(`${time[4] ?? ''}000`.slice(0, 3));
  const sign = time[6] === '-' ? -1 : 1;
  const offsetMinutes = time[5] === undefined ? sign * (Number(time[7]) * 60 + Number(time[8])) : 0;
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(hours, minutes, seconds, fraction);
  return instant.getTime() - offsetMinutes * 60_000;
}

/** Whether the apiserver accepts `text` as a `format: date-time` string. */
export function isApiDateTime(text: string): boolean {
  return parseApiDateTime(text) !== undefined;
}
