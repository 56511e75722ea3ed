import { inject } from 'vitest';
import { runKubectl, type KubectlOptions, type KubectlResult } from '../../controlplane/kubectl.js';

export type { KubectlOptions, KubectlResult };

/** Runs the kubectl built with the control plane against the e2e control plane. */
export function kubectl(
  args: readonly string[],
  options: KubectlOptions = {},
): Promise<KubectlResult> {
  return runKubectl(inject('kubectl'), inject('kubeconfig'), args, options);
}

/** Like {@link kubectl}, but fails the test with kubectl's own words when the exit code is not 0. */
export async function kubectlOk(
  args: readonly string[],
  options: KubectlOptions = {},
): Promise<string> {
  const result = await kubectl(args, options);
  if (result.code !== 0) {
    throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** `kubectl get -o json`, parsed. */
export async function getJson<T = Record<string, unknown>>(
  args: readonly string[],
  options: KubectlOptions = {},
): Promise<T> {
  return JSON.parse(await kubectlOk(['get', ...args, '-o', 'json'], options)) as T;
}

/** `kubectl patch <resource> <name> --subresource=status --type=merge`: writes `status` as a user. */
export function patchStatus(
  resource: string,
  name: string,
  status: unknown,
  options: KubectlOptions = {},
): Promise<string> {
  return kubectlOk(
    [
      'patch',
      resource,
      name,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify({ status }),
    ],
    options,
  );
}
