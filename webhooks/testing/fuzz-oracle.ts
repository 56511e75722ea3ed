/**
 * What every answer of the admission server must be, whatever it was sent: an AdmissionReview
 * `admission.k8s.io/v1` carrying the request's uid (a denial says why, with a code), or — only
 * when the body holds no readable uid — HTTP 400 with an `OOS_ERR_*` code, or HTTP 413 for a
 * body over the limit. Never a 5xx, a stack trace, an engine exception ("report this to the oos
 * maintainers") or a 500 denial. Test code only.
 */

export interface Reply {
  readonly statusCode: number;
  readonly body: string;
}

/** `request.uid` as the handler reads it after JSON.parse, or undefined. */
export function uidSent(raw: string): string | undefined {
  try {
    const uid = (JSON.parse(raw) as { request?: { uid?: unknown } } | null)?.request?.uid;
    return typeof uid === 'string' && uid.length > 0 ? uid : undefined;
  } catch {
    return undefined;
  }
}

function parse(body: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(body) as unknown;
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const STACK = /\n\s+at /;
const ENGINE_EXCEPTION = 'report this to the oos maintainers';

/** Why `reply` is not an acceptable answer to `raw`, or undefined when it is. */
export function problemWith(text: string, reply: Reply, bodyLimit: number): string | undefined {
  // What the server received: the text as UTF-8 (a lone surrogate arrives as U+FFFD).
  const raw = Buffer.from(text, 'utf8').toString('utf8');
  if (STACK.test(reply.body)) return 'the answer shows a stack trace';
  const json = parse(reply.body);
  if (json === undefined) return `the answer is not a JSON object: ${reply.body.slice(0, 200)}`;
  const uid = uidSent(raw);
  const oversized = Buffer.byteLength(raw) > bodyLimit;
  if (reply.statusCode === 413) {
    if (!oversized) return 'HTTP 413 for a body within the limit';
    return json.code === 'OOS_ERR_BODY_TOO_LARGE'
      ? undefined
      : 'HTTP 413 without OOS_ERR_BODY_TOO_LARGE';
  }
  if (oversized) return `HTTP ${reply.statusCode} for a body over the limit`;
  if (reply.statusCode === 400) {
    if (uid !== undefined) return `HTTP 400 although the body carries uid ${JSON.stringify(uid)}`;
    if (typeof json.code !== 'string' || !json.code.startsWith('OOS_ERR_'))
      return 'HTTP 400 without an OOS_ERR_ code';
    return typeof json.message === 'string' && json.message.length > 0
      ? undefined
      : 'HTTP 400 without a message';
  }
  if (reply.statusCode !== 200) return `HTTP ${reply.statusCode}: ${reply.body.slice(0, 200)}`;
  if (json.apiVersion !== 'admission.k8s.io/v1' || json.kind !== 'AdmissionReview') {
    return 'HTTP 200 that is not an AdmissionReview admission.k8s.io/v1';
  }
  const answer = json.response as Record<string, unknown> | undefined;
  if (typeof answer !== 'object') return 'an AdmissionReview without a response';
  if (typeof answer.uid !== 'string' || answer.uid.length === 0) return 'a response without a uid';
  if (uid !== undefined && answer.uid !== uid)
    return `the response carries uid ${answer.uid}, not ${uid}`;
  if (typeof answer.allowed !== 'boolean') return 'a response without allowed';
  if (answer.warnings !== undefined) {
    if (!Array.isArray(answer.warnings) || answer.warnings.some((w) => typeof w !== 'string')) {
      return 'warnings that are not strings';
    }
  }
  if (!answer.allowed) {
    const status = answer.status as { code?: unknown; message?: unknown } | undefined;
    if (
      typeof status?.code !== 'number' ||
      typeof status.message !== 'string' ||
      status.message === ''
    ) {
      return 'a denial without a code and a message';
    }
    if (status.code >= 500 && status.code !== 503)
      return `a denial with code ${status.code}: ${status.message}`;
    if (status.message.includes(ENGINE_EXCEPTION)) return `the engine threw: ${status.message}`;
    if (answer.patch !== undefined) return 'a denial with a patch';
  }
  if (answer.patch !== undefined) {
    if (answer.patchType !== 'JSONPatch' || typeof answer.patch !== 'string')
      return 'a patch that is not JSONPatch';
    const ops = parse(`{"ops":${Buffer.from(answer.patch, 'base64').toString()}}`)?.ops;
    if (
      !Array.isArray(ops) ||
      ops.some(
        (op: { op?: unknown; path?: unknown }) =>
          typeof op.op !== 'string' || typeof op.path !== 'string',
      )
    ) {
      return 'a patch that is not a list of operations';
    }
  }
  return undefined;
}
