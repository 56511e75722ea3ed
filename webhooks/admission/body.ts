import { DEFAULT_MAX_BODY_DEPTH } from '../limits.js';
import { scanBody } from './scan.js';
import type { ErrorCode } from '../../api/error-codes.js';

export { DEFAULT_MAX_BODY_DEPTH } from '../limits.js';

/**
 * A JSON body oos will not parse: not valid JSON, or nested deeper than the limit. The route
 * still answers it with an AdmissionReview when the request uid can be read from the raw text,
 * as the apiserver needs the uid to match the answer; without one, with HTTP 400 and `code`.
 */
export class MalformedBody {
  constructor(
    readonly code: Extract<ErrorCode, 'OOS_ERR_BAD_ADMISSION_REVIEW' | 'OOS_ERR_BODY_TOO_DEEP'>,
    readonly uid: string | undefined,
    readonly message: string,
  ) {}
}

/**
 * Parses a JSON body; never throws (see {@link MalformedBody}). A linear pre-scan refuses a body
 * nested deeper than `maxDepth` before it is parsed, so no later recursive walk can overflow.
 */
export function parseJsonBody(raw: string, maxDepth = DEFAULT_MAX_BODY_DEPTH): unknown {
  const scan = scanBody(raw, maxDepth);
  if (scan.tooDeep) {
    return new MalformedBody(
      'OOS_ERR_BODY_TOO_DEEP',
      scan.uid,
      `the body nests deeper than ${maxDepth} levels of objects and arrays; no Kubernetes object needs that many, so oos refuses to read it`,
    );
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch (error) {
    return new MalformedBody(
      'OOS_ERR_BAD_ADMISSION_REVIEW',
      scan.uid,
      `the body is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
