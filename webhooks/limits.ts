/**
 * The limits on what the admission server reads and holds, and why. The body limits are flags
 * of the operator (`--body-limit`, `--max-body-depth`); the connection limit is a constant.
 */

/**
 * The largest AdmissionReview the apiserver sends. An UPDATE carries the object and the old one.
 * The apiserver decodes request bodies of at most 3 MiB (`MaxRequestBodyBytes`: twice etcd's
 * default 1.5 MiB `--max-request-bytes`, for JSON against the protobuf it stores), so each
 * object is at most 3 MiB of JSON; 256 KiB more is room for the envelope (userInfo with its
 * groups and extra, options). A larger body is not a request the apiserver would persist.
 */
export const DEFAULT_BODY_LIMIT = 2 * 3 * 1024 * 1024 + 256 * 1024;

/**
 * How deeply an AdmissionReview may nest objects and arrays. Real objects are shallow: a
 * Deployment's deepest path (node affinity match expressions) is about 10 levels below the
 * object, a RayCluster's about 12, `metadata.managedFields` mirrors the object's paths a few
 * levels deeper, and the review envelope adds 3. 128 leaves several times that, and stays far
 * below what the recursive code downstream (JSON.stringify, zod, the logger) can walk without
 * overflowing the stack.
 */
export const DEFAULT_MAX_BODY_DEPTH = 128;

/**
 * How many connections the admission server holds at once; past it a new connection is closed
 * as soon as it is accepted (the apiserver's call fails, and admission fails closed). Each TLS
 * connection costs the server about 45 KiB of native memory while open, and the allocator keeps
 * most of it after it closes (`bench/admission-soak.ts --open`), so the peak number of
 * connections sets the resident memory for good: this bounds their share at about 90 MiB. The apiserver
 * needs far fewer: it calls webhooks only while it handles a mutating request (at most 600 at
 * once per apiserver, `--max-requests-inflight` plus `--max-mutating-requests-inflight`, or the
 * same total under API Priority and Fairness) and keeps at most 25 idle connections per webhook
 * host; three apiservers at their limit need 1,875.
 */
export const DEFAULT_MAX_CONNECTIONS = 2_000;
