import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

export interface AdminCredentials {
  readonly server: string;
  readonly caCert: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

const b64 = (pem: string): string => Buffer.from(pem).toString('base64');

/** A self-contained kubeconfig (certificates inlined) for the control plane's admin. */
export function renderKubeconfig(credentials: AdminCredentials, name = 'oos-local'): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: credentials.server,
          'certificate-authority-data': b64(credentials.caCert),
        },
      },
    ],
    users: [
      {
        name: `${name}-admin`,
        user: {
          'client-certificate-data': b64(credentials.clientCert),
          'client-key-data': b64(credentials.clientKey),
        },
      },
    ],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin`, namespace: 'default' } }],
    'current-context': name,
  });
}

/**
 * A kubeconfig for `user` authenticating with a bearer `token` (a ServiceAccount's, from
 * `kubectl create token`) against the cluster of the kubeconfig file `adminKubeconfig`.
 */
export function tokenKubeconfig(adminKubeconfig: string, user: string, token: string): string {
  const admin = new KubeConfig();
  admin.loadFromFile(adminKubeconfig);
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error(`${adminKubeconfig} has no current cluster`);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: cluster.name,
        cluster: { server: cluster.server, 'certificate-authority-data': cluster.caData },
      },
    ],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: cluster.name, context: { cluster: cluster.name, user } }],
    'current-context': cluster.name,
  });
}
