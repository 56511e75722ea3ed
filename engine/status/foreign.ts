import { isCanonicalDateTime } from '../../api/index.js';
import { isRecord } from '../json.js';
import { formatTime, parseTime } from '../time.js';
import { formatSeconds } from './conditions.js';

/**
 * The paths of the date-times in a stored status that the oos controller never writes: it writes
 * UTC with an upper-case `T` and `Z`, in whole seconds (conditions, escalation times) or as
 * formatTime does (times copied from a spec). Such a value proves someone else wrote the status.
 * Each path is written out only when found: a status checked clean allocates nothing per value.
 */
export function foreignTimes(status: unknown): string[] {
  const found: string[] = [];
  const path: (string | number)[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (isForeignTime(value)) found.push(pathText(path));
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        visit(value[i]);
        path.pop();
      }
    } else if (isRecord(value)) {
      for (const key of Object.keys(value)) {
        path.push(key);
        visit(value[key]);
        path.pop();
      }
    }
  };
  visit(status);
  return found;
}

/** Whether `text` is a date-time in a form the controller does not write. */
function isForeignTime(text: string): boolean {
  // Whole seconds in the canonical form are formatSeconds's own, the most of them by far.
  if (isCanonicalDateTime(text)) return false;
  const ms = parseTime(text);
  if (ms === undefined) return false;
  return text !== formatSeconds(ms) && text !== formatTime(ms);
}

/** `status.a[0].b` for the path `['a', 0, 'b']`. */
function pathText(path: readonly (string | number)[]): string {
  let text = 'status';
  for (const segment of path)
    text += typeof segment === 'number' ? `[${String(segment)}]` : `.${segment}`;
  return text;
}
