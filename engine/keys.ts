/** The keys the snapshot indexes objects by. */

/** `namespace/name`: names cannot hold a slash, so the key is unambiguous. */
export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function delegationKey(
  namespace: string,
  capability: string,
  serviceAccount: string,
): string {
  return `${namespace}/${capability}/${serviceAccount}`;
}
