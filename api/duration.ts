import type { ErrorCode } from './error-codes.js';

/**
 * Durations are strings of whole numbers with units, largest first: `d` (24h), `h`, `m`, `s`,
 * e.g. `90d`, `36h`, `1d12h`, `1h30m`, `0s`. Go's `720h` style is accepted as is; days are added
 * because policies speak in days. No fractions, no negative values, no `ms`.
 * The same pattern is enforced by the apiserver (CEL) and by zod.
 */
export const DURATION_PATTERN = '^([0-9]{1,5}d)?([0-9]{1,5}h)?([0-9]{1,5}m)?([0-9]{1,5}s)?$';

/** The longest duration string the pattern allows (`99999d99999h99999m99999s`). */
export const DURATION_MAX_LENGTH = 24;

const DURATION_REGEX = new RegExp(DURATION_PATTERN);

const MS_PER_UNIT = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
const UNITS = ['d', 'h', 'm', 's'] as const;

/** A string that is not a duration in the oos format. */
export class DurationError extends Error {
  readonly code = 'OOS_ERR_INVALID_DURATION' satisfies ErrorCode;

  constructor(text: string) {
    super(
      `${JSON.stringify(text)} is not a duration: use whole numbers with units d, h, m, s, largest first, e.g. 90d or 1h30m`,
    );
    this.name = 'DurationError';
  }
}

/** True when `text` is a duration in the oos format. */
export function isDuration(text: string): boolean {
  return text.length > 0 && DURATION_REGEX.test(text);
}

/** The duration `text` in milliseconds; throws {@link DurationError} when it is not one. */
export function parseDuration(text: string): number {
  const match = isDuration(text) ? DURATION_REGEX.exec(text) : null;
  if (match === null) throw new DurationError(text);
  return UNITS.reduce((total, unit, index) => {
    const group = match[index + 1];
    return group === undefined ? total : total + Number.parseInt(group, 10) * MS_PER_UNIT[unit];
  }, 0);
}

/** `ms` in the oos format, largest units first, e.g. 129_600_000 → `1d12h`; sub-second parts are dropped. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot format ${ms} ms as a duration`);
  let rest = Math.floor(ms / 1000) * 1000;
  let text = '';
  for (const unit of UNITS) {
    const count = Math.floor(rest / MS_PER_UNIT[unit]);
    rest -= count * MS_PER_UNIT[unit];
    if (count > 0) text += `${count}${unit}`;
  }
  return text === '' ? '0s' : text;
}
