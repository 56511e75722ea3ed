/** What a chain view is about: a capability or a workload, by namespace, kind and name. */
export interface ChainRef {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
}

export const CAPABILITY_KIND = 'Capability';

/** The path of the chain view of an object: `/chain/<namespace>/<kind>/<name>`, each part encoded. */
export function chainPath(ref: ChainRef): string {
  return `/chain/${[ref.namespace, ref.kind, ref.name].map(encodeURIComponent).join('/')}`;
}

/** The object a chain path names, or undefined when the path is not one. */
export function parseChainPath(path: string): ChainRef | undefined {
  const match = /^\/chain\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(path);
  if (match === null) return undefined;
  try {
    const [namespace, kind, name] = match.slice(1).map((part) => decodeURIComponent(part));
    if (namespace === undefined || kind === undefined || name === undefined) return undefined;
    return { namespace, kind, name };
  } catch {
    return undefined; // a malformed %-escape
  }
}

/** The chain of a capability. */
export function capabilityRef(namespace: string, name: string): ChainRef {
  return { namespace, kind: CAPABILITY_KIND, name };
}
