/**
 * One linear, non-recursive pass over a raw JSON body, before it is parsed: how deeply it nests
 * (`[` and `{` outside strings) and the `request.uid` it carries, wherever it stands. A hostile
 * body of a million `[` costs one scan of its bytes (milliseconds), never a parse or a recursive
 * walk that could overflow the stack. For valid JSON the uid is exactly the one
 * `JSON.parse(raw).request.uid` would give (the last duplicate key wins); for a body cut short
 * it is the one read before the cut.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

export interface BodyScan {
  /** The deepest level reached. */
  readonly depth: number;
  /** Whether the body nests deeper than `maxDepth`. */
  readonly tooDeep: boolean;
  /** `request.uid` when it is a non-empty string. */
  readonly uid: string | undefined;
}

/** The end of the string that starts at `start` (a quote): the index of its closing quote, or -1. */
function stringEnd(raw: string, start: number): number {
  // Short strings (most keys and values) char by char; long ones with the native indexOf.
  const shortEnd = Math.min(raw.length, start + 32);
  let at = start + 1;
  for (; at < shortEnd; at++) {
    const c = raw.charCodeAt(at);
    if (c === QUOTE) return at;
    if (c === BACKSLASH) at++;
  }
  if (at >= raw.length) return -1;
  for (;;) {
    const quote = raw.indexOf('"', at);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (quote - 1 - backslashes >= at && raw.charCodeAt(quote - 1 - backslashes) === BACKSLASH) {
      backslashes++;
    }
    if (backslashes % 2 === 0) return quote;
    at = quote + 1;
  }
}

/** The value of the JSON string `raw[start..end]` (quotes included), or undefined if invalid. */
function stringValue(raw: string, start: number, end: number): string | undefined {
  const text = raw.slice(start, end + 1);
  if (!text.includes('\\')) return text.slice(1, -1);
  try {
    return JSON.parse(text) as string;
  } catch {
    return undefined;
  }
}

function skipSpace(raw: string, at: number): number {
  let i = at;
  for (;;) {
    const c = raw.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/**
 * Scans `raw`. `request.uid` is looked for only in an object at depth 2 that is the value of the
 * key `request` of the top-level object; everything else is skipped string by string.
 */
export function scanBody(raw: string, maxDepth: number): BodyScan {
  let depth = 0;
  let deepest = 0;
  let uid: string | undefined;
  // Where we are in the top-level object: is the object open at depth 2 `request`'s value?
  let inRequest = false;
  // The last key read at depth 1 and at depth 2, for the object opened next.
  let keyAtTop: string | undefined;
  const length = raw.length;
  let i = 0;
  while (i < length) {
    const c = raw.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(raw, i);
      if (end === -1) break;
      // A key is a string followed by a colon; only keys at depth 1 and 2 matter.
      if (depth === 1 || (depth === 2 && inRequest)) {
        const next = skipSpace(raw, end + 1);
        if (raw.charCodeAt(next) === COLON) {
          const key = stringValue(raw, i, end);
          if (depth === 1) keyAtTop = key;
          else if (key === 'uid') {
            const value = skipSpace(raw, next + 1);
            const valueEnd = raw.charCodeAt(value) === QUOTE ? stringEnd(raw, value) : -1;
            const read = valueEnd === -1 ? undefined : stringValue(raw, value, valueEnd);
            uid = read === '' ? undefined : read;
          }
          i = next + 1;
          continue;
        }
        // A string value at depth 1 (e.g. "request": "x") replaces an earlier request object.
        if (depth === 1 && keyAtTop === 'request') uid = undefined;
      }
      i = end + 1;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (depth === 2) {
        inRequest = c === OPEN_BRACE && keyAtTop === 'request';
        // A later `request` key replaces the earlier one, uid and all.
        if (keyAtTop === 'request') uid = undefined;
      }
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (depth === 2) inRequest = false;
      depth--;
    } else if (depth === 1 && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      // A scalar value at depth 1 (e.g. "request": 5) also replaces an earlier request object.
      if (keyAtTop === 'request' && c !== COLON && c !== 0x2c) uid = undefined;
    }
    i++;
  }
  return { depth: deepest, tooDeep: deepest > maxDepth, uid };
}
