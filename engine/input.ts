/** The authenticated identity of a request (AdmissionReview `userInfo`). */
export interface Identity {
  readonly username: string;
  readonly groups: readonly string[];
  readonly uid?: string;
}

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

/** One admission request, as the webhook, the background audit or the CLI sees it. */
export interface AdmissionInput {
  readonly operation: Operation;
  readonly kind: { readonly group: string; readonly version: string; readonly kind: string };
  readonly namespace?: string;
  readonly name?: string;
  /** The Kubernetes object as JSON (untrusted: may be malformed). */
  readonly object?: unknown;
  readonly oldObject?: unknown;
  readonly userInfo: Identity;
  /** Labels of the request's namespace; they choose the enforcement mode. */
  readonly namespaceLabels?: Readonly<Record<string, string>>;
  /**
   * Whether the request's namespace is being deleted (its deletionTimestamp is set): the namespace
   * controller then deletes everything in it, evidence included, and must not be refused.
   */
  readonly namespaceTerminating?: boolean;
  /** AdmissionReview `subResource` (`status`, `scale`, `ephemeralcontainers`, ...). */
  readonly subResource?: string;
  /**
   * For a `scale` subresource request (whose object is an autoscaling/v1 `Scale`, without labels
   * or template): the stored workload it scales, as the admission server's cache holds it, with
   * its apiVersion and kind; undefined when the cache does not know it.
   */
  readonly scaleTarget?: unknown;
}

/** One RFC 6902 operation, as the mutating webhook returns it. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: unknown;
}
