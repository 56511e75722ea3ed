import { CodedError } from '../../api/error-codes.js';
import { GROUP, KINDS, VERSION } from '../../api/index.js';
import { findResource } from './discovery.js';
import { KubeApiError, type KubeRest } from './rest.js';

/** The cluster lacks something the operator needs before it can start; the message says what to do. */
export class StartupError extends CodedError {}

interface ResourceList {
  readonly resources?: readonly { readonly name?: string; readonly kind?: string }[];
}

/*
 * Each question answers `undefined` when the apiserver would not say (403: a kubeconfig without
 * the right; anything else: the apiserver away). The operator then starts, and its informers and
 * controller report and retry as they always do: these checks only turn a certain absence into a
 * clear message, they decide nothing.
 */

/** The oos.dev kinds the apiserver does not serve: all of them when the group version is absent. */
export async function missingKinds(rest: KubeRest): Promise<string[] | undefined> {
  let served: ResourceList;
  try {
    served = await rest.request<ResourceList>('GET', `/apis/${GROUP}/${VERSION}`);
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 404)) return undefined;
    served = {};
  }
  return KINDS.filter((def) => findResource(served, def.kind) === undefined).map((d) => d.kind);
}

/**
 * Whether the namespace exists, asked as a list with a field selector: the operator's ClusterRole
 * may list and watch Namespaces (their labels choose the enforcement mode) but not get one.
 */
export async function namespaceExists(
  rest: KubeRest,
  namespace: string,
): Promise<boolean | undefined> {
  const selector = encodeURIComponent(`metadata.name=${namespace}`);
  try {
    const list = await rest.request<{ items?: readonly unknown[] }>(
      'GET',
      `/api/v1/namespaces?fieldSelector=${selector}&limit=1`,
    );
    return (list.items ?? []).length > 0;
  } catch {
    return undefined;
  }
}

/**
 * Fails with a {@link StartupError} when the oos CRDs are not installed or the operator's namespace
 * does not exist, before anything starts: without them the operator could only loop on errors.
 */
export async function checkCluster(
  rest: KubeRest,
  namespace: string,
  { patienceMs = 10_000, pollMs = 500 }: { patienceMs?: number; pollMs?: number } = {},
): Promise<void> {
  // CRDs applied a moment ago may be Established before discovery serves them: ask a few times.
  let missing = await missingKinds(rest);
  for (let waited = 0; missing !== undefined && missing.length > 0 && waited < patienceMs;) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    waited += pollMs;
    missing = await missingKinds(rest);
  }
  if (missing !== undefined && missing.length > 0) {
    throw new StartupError(
      'OOS_ERR_CRDS_MISSING',
      `the apiserver at ${rest.server} does not serve ${missing.length === KINDS.length ? `the ${GROUP} API` : missing.join(', ')} ` +
        `(${GROUP}/${VERSION}): install the CRDs with \`kubectl apply --server-side -f crds/\` ` +
        '(`helm install` of charts/oos installs them too), then start oos again.',
    );
  }
  if ((await namespaceExists(rest, namespace)) === false) {
    throw new StartupError(
      'OOS_ERR_NAMESPACE_MISSING',
      `the namespace "${namespace}" does not exist (oos keeps its certificate Secret, its leader ` +
        `Lease and its Events there): create it with \`kubectl create namespace ${namespace}\`, ` +
        'or pass `--namespace <an existing namespace>`.',
    );
  }
}
