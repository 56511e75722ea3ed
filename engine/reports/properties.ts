/**
 * Property values and messages of a report are bounded and printable: they come from objects
 * people write (names of holders, justifications in messages), and a report is read in terminals
 * and dashboards. Control characters become spaces; long text is cut on a character boundary.
 */

/** Longest value of a result property, in characters. */
export const MAX_PROPERTY_LENGTH = 256;
/** Longest result message, in characters. */
export const MAX_MESSAGE_LENGTH = 1024;
/** Most people listed in the `holders` property. */
export const MAX_HOLDERS_LISTED = 10;

const ELLIPSIS = '…';
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** `text` without control characters, at most `max` characters (code points) long. */
export function bounded(text: string, max: number = MAX_PROPERTY_LENGTH): string {
  const printable = text.replace(CONTROL, ' ');
  if (printable.length <= max) return printable;
  const points = Array.from(printable);
  if (points.length <= max) return printable;
  return points.slice(0, max - 1).join('') + ELLIPSIS;
}

/** A property map from entries, leaving out undefined values and bounding the others. */
export function properties(
  entries: readonly (readonly [string, string | undefined])[],
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of entries) {
    if (value !== undefined && value !== '') result[key] = bounded(value);
  }
  return result;
}
