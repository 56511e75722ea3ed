import type { GlobList } from '../glob.js';
import { arrayAt, field, stringAt } from '../json.js';
import { readContainer, type ContainerView } from './container.js';
import { acceleratorCount } from './quantity.js';

/** The ServiceAccount of a pod that names none. */
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** One pod (template) of a workload: where it is, who it runs as, what it runs. */
export interface PodView {
  /** Where the pod spec sits in the object, e.g. `spec.template.spec`. */
  readonly where: string;
  readonly serviceAccount: string;
  /** Containers, init containers and ephemeral (debug) containers. */
  readonly containers: readonly ContainerView[];
  /** `spec.resourceClaims[]`: the Dynamic Resource Allocation claims the pod uses. */
  readonly claims: readonly PodClaim[];
  /** `spec.hostNetwork: true`: the pod uses the node's network, where no NetworkPolicy applies. */
  readonly hostNetwork?: boolean;
}

/**
 * One `spec.resourceClaims[]` entry: a ResourceClaim by name, or a ResourceClaimTemplate the
 * resourceclaim controller makes a claim from. Neither set (an entry oos cannot read) is kept
 * too, so that it fails closed.
 */
export interface PodClaim {
  readonly name: string;
  readonly claim: string | undefined;
  readonly template: string | undefined;
}

/** `spec.serviceAccountName` (or its deprecated alias `serviceAccount`), else `fallback`. */
export function serviceAccountOf(podSpec: unknown, fallback: string): string {
  const name = stringAt(podSpec, 'serviceAccountName') ?? stringAt(podSpec, 'serviceAccount');
  return name === undefined || name === '' ? fallback : name;
}

function claimsOf(podSpec: unknown): PodClaim[] {
  return arrayAt(podSpec, 'resourceClaims').map((entry, index) => ({
    name: stringAt(entry, 'name') ?? `resourceClaims[${index}]`,
    claim: stringAt(entry, 'resourceClaimName'),
    template: stringAt(entry, 'resourceClaimTemplateName'),
  }));
}

/**
 * The container lists of a pod spec, in the order they run: whether they hold init containers,
 * and what a container without a name is called (`init-0`, `container-1`, …).
 */
export const CONTAINER_LISTS = [
  { field: 'initContainers', init: true, unnamed: 'init' },
  { field: 'containers', init: false, unnamed: 'container' },
  { field: 'ephemeralContainers', init: false, unnamed: 'ephemeral' },
] as const;

/**
 * Reads a PodSpec: its containers, init containers, ephemeral containers (judged like the others:
 * `kubectl debug` runs their image with their env in the pod), DRA claims and ServiceAccount.
 */
export function readPodSpec(
  podSpec: unknown,
  where: string,
  fallbackServiceAccount = DEFAULT_SERVICE_ACCOUNT,
): PodView {
  const containers: ContainerView[] = [];
  for (const list of CONTAINER_LISTS) {
    arrayAt(podSpec, list.field).forEach((container, i) => {
      containers.push(readContainer(container, list.init, `${list.unnamed}-${String(i)}`));
    });
  }
  return {
    where,
    serviceAccount: serviceAccountOf(podSpec, fallbackServiceAccount),
    containers,
    claims: claimsOf(podSpec),
    hostNetwork: field(podSpec, 'hostNetwork') === true,
  };
}

/** Accelerators of one container: every resource that matches an accelerator glob, summed. */
export function containerAccelerators(container: ContainerView, accelerators: GlobList): number {
  let total = 0;
  for (const [resource, quantity] of container.resources) {
    if (accelerators.matches(resource)) total += acceleratorCount(quantity);
  }
  return total;
}

/**
 * Accelerators one pod holds, as the scheduler counts them: the larger of the sum over its
 * containers and the largest init container (init containers run one at a time, before).
 */
export function podAccelerators(pod: PodView, accelerators: GlobList): number {
  let running = 0;
  let init = 0;
  for (const container of pod.containers) {
    const count = containerAccelerators(container, accelerators);
    if (container.init) init = Math.max(init, count);
    else running += count;
  }
  return Math.max(running, init);
}
