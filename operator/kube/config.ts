import type { OperatorConfig } from '../config.js';
import type { ApiAccess } from './access.js';
import { loadKubeconfig } from './kubeconfig.js';

/** How the operator reaches the apiserver: `--kubeconfig`, else `$KUBECONFIG`, `~/.kube/config`, in-cluster. */
export function apiAccess(config: Pick<OperatorConfig, 'kubeconfig'>): ApiAccess {
  return loadKubeconfig(config.kubeconfig ? { file: config.kubeconfig } : {}).access;
}
