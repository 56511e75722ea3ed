import type { GovernanceSnapshot } from '../engine/index.js';

/** The workload a `scale` subresource request targets, and the version the apiserver scales. */
export interface ScaleTargetRef {
  readonly group: string;
  /** The plural resource, e.g. `deployments`. */
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
  readonly resourceVersion?: string;
}

/** Governance that may be behind the cluster: since when, and which kinds' watches are down. */
export interface Staleness {
  readonly since: number;
  readonly kinds: readonly string[];
}

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
  /**
   * Since when (epoch ms) the governance may be behind the cluster, and the kinds whose watch is
   * interrupted; undefined while every watch is current. Optional: a source that cannot tell
   * says nothing (and admission then never reports staleness).
   */
  staleSince?(): Staleness | undefined;
  /**
   * The stored workload a `scale` request targets (apiVersion and kind set), from the cache;
   * undefined when unknown. Without this method every scale-up is refused (failing closed).
   */
  scaleTarget?(ref: ScaleTargetRef): unknown;
  /** Resolves once the cache holds `ref.resourceVersion` of the target, or after `timeoutMs`. */
  scaleTargetCaughtUp?(ref: ScaleTargetRef, timeoutMs: number): Promise<void>;
}
