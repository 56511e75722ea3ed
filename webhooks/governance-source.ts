import type { GovernanceSnapshot } from '../engine/index.js';

/**
 * What the admission server reads governance from: the operator's informer cache. Reading it
 * never makes an API call, so admission costs no round trip to the apiserver.
 */
export interface GovernanceSource {
  /** The current indexed snapshot, or undefined before the first full sync. */
  snapshot(): GovernanceSnapshot | undefined;
  /** Labels of a namespace as last seen (for per-namespace enforcement), undefined if unknown. */
  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined;
  /**
   * Whether a namespace is being deleted (deletionTimestamp set), as last seen; false if unknown.
   * Its evidence may then be deleted with it. Optional: a source that cannot tell says no.
   */
  namespaceTerminating?(namespace: string): boolean;
  /** True once every watched kind has been listed at least once. */
  synced(): boolean;
  /** Kinds not yet synced, for /readyz. */
  pending(): readonly string[];
}
