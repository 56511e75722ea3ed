import { capabilityRef, chainPath, type ChainRef } from '../../engine/register/index.js';

/** Where the page links an object to: the served chain views, or anchors in a static file. */
export interface Links {
  /** The link of a capability; undefined: no link. */
  capability(namespace: string, name: string): string | undefined;
  /** The link of a workload; undefined: no link. */
  workload(ref: ChainRef): string | undefined;
  /** Whether the page is served (filters are a form, chain views exist). */
  readonly served: boolean;
}

/** The id of a capability's row, unique because names hold no slash. */
export function capabilityAnchor(namespace: string, name: string): string {
  return `capability/${namespace}/${name}`;
}

/** `oos register` serving: every capability and running workload has its chain view. */
export const SERVED_LINKS: Links = {
  capability: (namespace, name) => chainPath(capabilityRef(namespace, name)),
  workload: (ref) => chainPath(ref),
  served: true,
};

/** `oos register --output file`: a capability links to its row; workloads are not linked. */
export const STATIC_LINKS: Links = {
  capability: (namespace, name) => `#${capabilityAnchor(namespace, name)}`,
  workload: () => undefined,
  served: false,
};
