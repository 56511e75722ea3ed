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

/** The months of 30 days. */
const SHORT_MONTHS: readonly number[] = [4, 6, 9, 11];

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return SHORT_MONTHS.includes(month) ? 30 : 31;
}

/** The length of the form the apiserver and oos write: `YYYY-MM-DDThh:mm:ssZ`. */
const CANONICAL_LENGTH = 20;
const ZERO = '0'.charCodeAt(0);

/** The number of the `count` decimal digits at `at`, or -1 when one of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * `YYYY-MM-DDThh:mm:ssZ` exactly (upper-case `T` and `Z`, no fraction) naming a real instant,
 * read without splitting or matching it (no string or array is made): the form of nearly every
 * date-time a watch event carries. Undefined for anything else (another form, a date that
 * does not exist, a year before 100, which `Date.UTC` would read as 19xx): {@link parseAnyForm}
 * then decides. Where both read a text they give the same instant (`api/date-time.test.ts`
 * checks it over generated texts).
 */
function parseCanonical(text: string): number | undefined {
  if (
    text.length !== CANONICAL_LENGTH ||
    text[4] !== '-' ||
    text[7] !== '-' ||
    text[10] !== 'T' ||
    text[13] !== ':' ||
    text[16] !== ':' ||
    text[19] !== 'Z'
  )
    return undefined;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hours = digits(text, 11, 2);
  const minutes = digits(text, 14, 2);
  const seconds = digits(text, 17, 2);
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year))
    return undefined;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59)
    return undefined;
  return Date.UTC(year, month - 1, day, hours, minutes, seconds);
}

/**
 * Milliseconds since the epoch of a date-time the apiserver accepts (`format: date-time`), or
 * undefined when it would refuse it. Fractions finer than a millisecond are truncated.
 */
export function parseApiDateTime(text: string): number | undefined {
  return parseCanonical(text) ?? parseAnyForm(text);
}

/**
 * Whether `text` is a real instant in the form `YYYY-MM-DDThh:mm:ssZ` exactly (a year from 100):
 * what `new Date(ms).toISOString()` gives for whole seconds, without the zero milliseconds.
 */
export function isCanonicalDateTime(text: string): boolean {
  return parseCanonical(text) !== undefined;
}

/** Any form the apiserver accepts (see the top of this file): the general, slower reading. */
function parseAnyForm(text: string): number | undefined {
  // The shortest form is 20 characters (`YYYY-MM-DDThh:mm:ssz`), and the date is the text up to
  // the first `t` or `T`, so the 11th character is one: anything else is refused unsplit.
  if (text.length < CANONICAL_LENGTH || (text[10] !== 't' && text[10] !== 'T')) return undefined;
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
