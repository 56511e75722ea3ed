/**
 * The limits on what the admission server reads, and why. Both are flags of the operator
 * (`--body-limit`, `--max-body-depth`).
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
