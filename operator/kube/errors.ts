import { KubeApiError } from './rest.js';

/**
 * The `reason` of a Kubernetes API `Status` and the HTTP code it comes with (Kubernetes API
 * conventions, `metav1.StatusReason`). Several reasons share a code (409: AlreadyExists and
 * Conflict; 410: Gone and Expired), so errors are told apart by reason; the code stands in only
 * when the apiserver sent no reason oos knows, and then only for the reason marked `byCode`.
 */
export const STATUS_REASONS = {
  BadRequest: { code: 400, byCode: true },
  Unauthorized: { code: 401, byCode: true },
  Forbidden: { code: 403, byCode: true },
  NotFound: { code: 404, byCode: true },
  MethodNotAllowed: { code: 405, byCode: true },
  NotAcceptable: { code: 406, byCode: true },
  AlreadyExists: { code: 409, byCode: false },
  Conflict: { code: 409, byCode: true },
  Gone: { code: 410, byCode: true },
  Expired: { code: 410, byCode: false },
  RequestEntityTooLarge: { code: 413, byCode: true },
  UnsupportedMediaType: { code: 415, byCode: true },
  Invalid: { code: 422, byCode: true },
  TooManyRequests: { code: 429, byCode: true },
  InternalError: { code: 500, byCode: true },
  ServerTimeout: { code: 500, byCode: false },
  ServiceUnavailable: { code: 503, byCode: true },
  Timeout: { code: 504, byCode: true },
} as const satisfies Record<string, { code: number; byCode: boolean }>;

export type StatusReason = keyof typeof STATUS_REASONS;

function isKnown(reason: string | undefined): reason is StatusReason {
  return reason !== undefined && Object.hasOwn(STATUS_REASONS, reason);
}

/**
 * The reason of an apiserver error: the Status's own, or, when it sent none oos knows, the one
 * its HTTP code stands for. Undefined for anything that is not an apiserver answer.
 */
export function reasonOf(error: unknown): StatusReason | undefined {
  if (!(error instanceof KubeApiError)) return undefined;
  if (isKnown(error.reason)) return error.reason;
  const entry = Object.entries(STATUS_REASONS).find(
    ([, { code, byCode }]) => byCode && code === error.status,
  );
  return entry?.[0] as StatusReason | undefined;
}

/** The object asked for does not exist. */
export const isNotFound = (error: unknown): boolean => reasonOf(error) === 'NotFound';
/** A create named an object that exists already. */
export const isAlreadyExists = (error: unknown): boolean => reasonOf(error) === 'AlreadyExists';
/** A write lost a race: its resourceVersion is stale, or another writer holds the field. */
export const isConflict = (error: unknown): boolean => reasonOf(error) === 'Conflict';
/** Refused by authorization or an admission plugin (a webhook's denial included). */
export const isForbidden = (error: unknown): boolean => reasonOf(error) === 'Forbidden';
/** The object failed validation. */
export const isInvalid = (error: unknown): boolean => reasonOf(error) === 'Invalid';
/** The apiserver sheds load (API Priority and Fairness): retry later. */
export const isTooManyRequests = (error: unknown): boolean => reasonOf(error) === 'TooManyRequests';
/**
 * A watch or list asked for a resourceVersion the apiserver no longer has (410: `Expired` from
 * etcd's compaction, `Gone` from older servers): list again from scratch.
 */
export function isExpired(error: unknown): boolean {
  const reason = reasonOf(error);
  return reason === 'Expired' || reason === 'Gone';
}

/** The `StatusCause` reason (its Go field is `Type`) of a create refused because its namespace is being deleted. */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

/**
 * A write into a namespace that is being deleted (Forbidden, cause `NamespaceTerminating`) or is
 * gone (NotFound naming the namespace itself): nothing can be created there any more.
 */
export function isNamespaceGone(error: unknown): boolean {
  if (!(error instanceof KubeApiError)) return false;
  if (isForbidden(error)) {
    return (error.details?.causes ?? []).some((c) => c.reason === NAMESPACE_TERMINATING_CAUSE);
  }
  return isNotFound(error) && error.details?.kind === 'namespaces';
}
