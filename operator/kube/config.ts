import { KubeConfig } from '@kubernetes/client-node';
import type { OperatorConfig } from '../config.js';

/** The kubeconfig the operator uses: `--kubeconfig`, else `$KUBECONFIG`, `~/.kube/config`, in-cluster. */
export function kubeConfig(config: Pick<OperatorConfig, 'kubeconfig'>): KubeConfig {
  const kc = new KubeConfig();
  if (config.kubeconfig) kc.loadFromFile(config.kubeconfig);
  else kc.loadFromDefault();
  return kc;
}
