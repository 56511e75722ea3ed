import { KubeConfig } from '@kubernetes/client-node';
import type { TestProject } from 'vitest/node';
import { startControlPlane } from '../../controlplane/controlplane.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the admin kubeconfig of the e2e control plane. */
    kubeconfig: string;
    /** The kubectl built with the control plane (same version as the apiserver). */
    kubectl: string;
    /** The helm built with the control plane. */
    helm: string;
    /** https://127.0.0.1:<port> of kube-apiserver. */
    apiserver: string;
  }
}

/** One real control plane for the whole e2e run, torn down afterwards (or by its reaper). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // An existing cluster instead (e2e/kind/run.sh): its kubeconfig, kubectl and helm from PATH.
  const external = process.env.OOS_E2E_KUBECONFIG;
  if (external) {
    const config = new KubeConfig();
    config.loadFromFile(external);
    project.provide('kubeconfig', external);
    project.provide('kubectl', process.env.OOS_E2E_KUBECTL ?? 'kubectl');
    project.provide('helm', process.env.OOS_E2E_HELM ?? 'helm');
    project.provide('apiserver', config.getCurrentCluster()?.server ?? '');
    return () => Promise.resolve();
  }
  const controlPlane = await startControlPlane({
    log: (line) => process.stderr.write(`${line}\n`),
  });
  project.provide('kubeconfig', controlPlane.kubeconfig);
  project.provide('kubectl', controlPlane.binaries.kubectl);
  project.provide('helm', controlPlane.binaries.helm);
  project.provide('apiserver', controlPlane.server);
  return () => controlPlane.stop();
}
