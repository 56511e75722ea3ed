import type { AdmissionInput } from '../../engine/index.js';
import { MalformedBody } from './body.js';
import { admissionResponse, type AdmissionReviewResponse, type Verdict } from './response.js';
import { parseAdmissionReview, type AdmissionRequest } from './review.js';
import type { ErrorCode } from '../../api/error-codes.js';

/** What the HTTP layer sends back: an AdmissionReview, or a plain HTTP error when there is no uid. */
export type HandlerResult =
  | { readonly status: 200; readonly review: AdmissionReviewResponse; readonly outcome: Outcome }
  | { readonly status: 400; readonly error: { code: ErrorCode; message: string } };

/** What is logged and counted for one answered review. */
export interface Outcome {
  readonly request?: AdmissionRequest;
  readonly decision: 'allow' | 'warn' | 'deny' | 'error';
  readonly reason: string;
  readonly message?: string;
}

/** Turns an AdmissionReview request into the engine's input. */
export function toAdmissionInput(
  request: AdmissionRequest,
  namespaceLabels: Readonly<Record<string, string>> | undefined,
  namespaceTerminating = false,
): AdmissionInput {
  return {
    operation: request.operation,
    kind: request.kind,
    ...(request.namespace ? { namespace: request.namespace } : {}),
    ...(request.name ? { name: request.name } : {}),
    ...(request.subResource ? { subResource: request.subResource } : {}),
    object: request.object,
    oldObject: request.oldObject,
    userInfo: {
      username: request.userInfo.username,
      groups: request.userInfo.groups,
      ...(request.userInfo.uid === undefined ? {} : { uid: request.userInfo.uid }),
    },
    ...(namespaceLabels ? { namespaceLabels } : {}),
    ...(namespaceTerminating ? { namespaceTerminating } : {}),
  };
}

/**
 * Reads the body, asks `decide` for a verdict, and wraps it. Every readable request gets an
 * AdmissionReview with its uid; one without a uid gets HTTP 400. `decide` throwing is answered
 * as a denial (fail closed) with the error's message, never a stack.
 */
export function handleReview(
  body: unknown,
  decide: (request: AdmissionRequest) => { verdict: Verdict; outcome: Outcome },
): HandlerResult {
  const parsed =
    body instanceof MalformedBody
      ? { ok: false as const, uid: body.uid, message: body.message, code: body.code }
      : { code: 'OOS_ERR_BAD_ADMISSION_REVIEW' as const, ...parseAdmissionReview(body) };
  if (!parsed.ok) {
    if (parsed.uid === undefined) {
      return { status: 400, error: { code: parsed.code, message: parsed.message } };
    }
    return {
      status: 200,
      review: admissionResponse(parsed.uid, {
        allowed: false,
        code: 400,
        reason: 'BadRequest',
        message: `oos could not read the AdmissionReview: ${parsed.message}`,
      }),
      outcome: { decision: 'error', reason: 'BadRequest', message: parsed.message },
    };
  }
  const { request } = parsed;
  try {
    const { verdict, outcome } = decide(request);
    return { status: 200, review: admissionResponse(request.uid, verdict), outcome };
  } catch (error) {
    const message = error instanceof Error ? error.message : 'a non-Error value was thrown';
    return {
      status: 200,
      review: admissionResponse(request.uid, {
        allowed: false,
        code: 500,
        reason: 'InternalError',
        message: `oos could not evaluate the request (failing closed): ${message}`,
      }),
      outcome: { request, decision: 'error', reason: 'InternalError', message },
    };
  }
}
