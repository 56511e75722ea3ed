import { z } from 'zod';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';
export const ADMISSION_KIND = 'AdmissionReview';

const groupVersionKind = z.object({
  group: z.string(),
  version: z.string(),
  kind: z.string().min(1),
});

const userInfo = z.object({
  username: z.string().default(''),
  uid: z.string().optional(),
  groups: z.array(z.string()).default([]),
});

/** The part of an AdmissionReview request oos reads; everything else passes through untouched. */
export const admissionRequestSchema = z.object({
  uid: z.string().min(1),
  kind: groupVersionKind,
  resource: z.object({ group: z.string(), version: z.string(), resource: z.string() }).optional(),
  subResource: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  operation: z.enum(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']),
  userInfo,
  object: z.unknown().optional(),
  oldObject: z.unknown().optional(),
  dryRun: z.boolean().optional(),
});

export type AdmissionRequest = z.infer<typeof admissionRequestSchema>;

/** A request oos could read, or why not — with the uid whenever the body carried one. */
export type ParsedReview =
  | { readonly ok: true; readonly request: AdmissionRequest }
  | { readonly ok: false; readonly uid: string | undefined; readonly message: string };

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? `request.${issue.path.join('.')}` : 'request';
  return `${path}: ${issue.message}`;
}

/** A value from an untrusted body, for a message; never throws (`String({toString: 0})` does). */
function show(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 64));
  try {
    return (JSON.stringify(value) as string | undefined)?.slice(0, 64) ?? typeof value;
  } catch {
    return typeof value; // nested too deeply to print
  }
}

/** The uid of a request, if the body has a string one, whatever else is wrong with it. */
function uidOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const request = (body as { request?: unknown }).request;
  if (typeof request !== 'object' || request === null) return undefined;
  const uid = (request as { uid?: unknown }).uid;
  return typeof uid === 'string' && uid.length > 0 ? uid : undefined;
}

/**
 * Reads an `AdmissionReview` `admission.k8s.io/v1` body. Never throws: a body that is not one
 * comes back with a message that says what is wrong, and the request uid when there is one.
 */
export function parseAdmissionReview(body: unknown): ParsedReview {
  const uid = uidOf(body);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, uid, message: 'the body is not an AdmissionReview object' };
  }
  const { apiVersion, kind, request } = body as Record<string, unknown>;
  if (kind !== ADMISSION_KIND || apiVersion !== ADMISSION_API_VERSION) {
    return {
      ok: false,
      uid,
      message: `expected kind ${ADMISSION_KIND} of apiVersion ${ADMISSION_API_VERSION}, got kind ${show(kind)} of apiVersion ${show(apiVersion)}; configure the webhook with admissionReviewVersions: ["v1"]`,
    };
  }
  if (request === undefined || request === null) {
    return { ok: false, uid, message: 'the AdmissionReview has no request' };
  }
  const parsed = admissionRequestSchema.safeParse(request);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map(describeIssue).join('; ');
    return { ok: false, uid, message: `the AdmissionReview request is malformed: ${issues}` };
  }
  return { ok: true, request: parsed.data };
}
