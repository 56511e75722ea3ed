import { kubectl, kubectlOk } from './kubectl.js';

/** The user of the e2e control plane's admin kubeconfig: the operator's identity when run locally. */
export const ADMIN_USER = 'oos-admin';

/** An RFC 3339 time `ms` from now, to the second (as the API's date-time fields take it). */
export const isoIn = (ms: number): string =>
  new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * A ClusterRoleBinding of cluster-admin to `group` (and ServiceAccounts given as `ns:name`), so
 * impersonated people and machines may do anything RBAC decides: every refusal then comes from oos.
 */
export function adminBinding(
  name: string,
  group: string,
  serviceAccounts: readonly string[] = [],
): string {
  const accounts = serviceAccounts.map((account) => {
    const [namespace, sa] = account.split(':');
    return `\n  - { kind: ServiceAccount, name: ${sa ?? ''}, namespace: ${namespace ?? ''} }`;
  });
  return `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ${name} }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects:
  - { apiGroup: rbac.authorization.k8s.io, kind: Group, name: ${group} }${accounts.join('')}
`;
}

/** Installs the CRDs (idempotent) and waits until the apiserver serves them. */
export async function installCrds(): Promise<void> {
  await kubectlOk(['apply', '--server-side', '-f', 'crds/']);
  await kubectlOk(['wait', '--for', 'condition=Established', '--timeout=60s', 'crd', '--all']);
}

/** Removes the webhook configurations a locally run operator registers, so later files are unaffected. */
export async function removeWebhooks(): Promise<void> {
  await kubectl([
    'delete',
    'validatingwebhookconfiguration',
    'oos-validating',
    '--ignore-not-found',
  ]);
  await kubectl(['delete', 'mutatingwebhookconfiguration', 'oos-mutating', '--ignore-not-found']);
}
