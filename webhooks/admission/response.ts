import { ADMISSION_API_VERSION, ADMISSION_KIND } from './review.js';

export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  readonly path: string;
  readonly value?: unknown;
  readonly from?: string;
}

export interface AdmissionResponse {
  readonly uid: string;
  readonly allowed: boolean;
  readonly status?: { readonly code: number; readonly reason?: string; readonly message: string };
  readonly warnings?: readonly string[];
  readonly auditAnnotations?: Readonly<Record<string, string>>;
  readonly patchType?: 'JSONPatch';
  readonly patch?: string;
}

export interface AdmissionReviewResponse {
  readonly apiVersion: typeof ADMISSION_API_VERSION;
  readonly kind: typeof ADMISSION_KIND;
  readonly response: AdmissionResponse;
}

/**
 * The apiserver keeps warnings whole up to 4 KiB in all (then cuts each to 256 runes); oos sends
 * one sentence that must say how to fix things, so it only guards against runaway text.
 */
const MAX_WARNING_LENGTH = 1024;
/** Audit annotation values are evidence, not documents. */
const MAX_ANNOTATION_LENGTH = 1024;
/** A denial says what to fix in a few sentences; it never echoes a hostile object back whole. */
const MAX_MESSAGE_LENGTH = 4096;

const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

export interface Verdict {
  readonly allowed: boolean;
  /** HTTP-style code for a denial: 403 for a policy decision, 400 for a request oos cannot read. */
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
  readonly warnings?: readonly string[];
  readonly auditAnnotations?: Readonly<Record<string, string>>;
  readonly patch?: readonly JsonPatchOperation[];
}

/** Wraps a verdict in a well-formed `AdmissionReview` response for `uid`. */
export function admissionResponse(uid: string, verdict: Verdict): AdmissionReviewResponse {
  const warnings = (verdict.warnings ?? []).map((w) => truncate(w, MAX_WARNING_LENGTH));
  const annotations = Object.fromEntries(
    Object.entries(verdict.auditAnnotations ?? {}).map(([k, v]) => [
      k,
      truncate(v, MAX_ANNOTATION_LENGTH),
    ]),
  );
  const patch = verdict.patch ?? [];
  const response: AdmissionResponse = {
    uid,
    allowed: verdict.allowed,
    ...(verdict.allowed
      ? {}
      : {
          status: {
            code: verdict.code ?? 403,
            ...(verdict.reason === undefined ? {} : { reason: verdict.reason }),
            message: truncate(verdict.message ?? 'denied by oos', MAX_MESSAGE_LENGTH),
          },
        }),
    ...(warnings.length > 0 ? { warnings } : {}),
    ...(Object.keys(annotations).length > 0 ? { auditAnnotations: annotations } : {}),
    ...(verdict.allowed && patch.length > 0
      ? {
          patchType: 'JSONPatch' as const,
          patch: Buffer.from(JSON.stringify(patch)).toString('base64'),
        }
      : {}),
  };
  return { apiVersion: ADMISSION_API_VERSION, kind: ADMISSION_KIND, response };
}
