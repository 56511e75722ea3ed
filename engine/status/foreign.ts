import { isRecord } from '../json.js';
import { formatTime, parseTime } from '../time.js';
import { formatSeconds } from './conditions.js';

/**
 * The paths of the date-times in a stored status that the oos controller never writes: it writes
 * UTC with an upper-case `T` and `Z`, in whole seconds (conditions, escalation times) or as
 * formatTime does (times copied from a spec). Such a value proves someone else wrote the status.
 */
export function foreignTimes(status: unknown, path = 'status'): string[] {
  if (typeof status === 'string') {
    const ms = parseTime(status);
    if (ms === undefined) return [];
    return status === formatSeconds(ms) || status === formatTime(ms) ? [] : [path];
  }
  if (Array.isArray(status))
    return status.flatMap((item, i) => foreignTimes(item, `${path}[${String(i)}]`));
  if (!isRecord(status)) return [];
  return Object.entries(status).flatMap(([key, value]) => foreignTimes(value, `${path}.${key}`));
}
