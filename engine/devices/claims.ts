import type { GlobList } from '../glob.js';
import type { PodClaim, PodView } from '../workload/pod.js';
import type { DeviceAlternative, DeviceIndex, DeviceRequest } from './index.js';

/** What a pod's DRA claims allocate, as far as accelerators go. */
export interface ClaimedAccelerators {
  /** Accelerators the claims allocate; Infinity when unbounded (`All`) or unknown to oos. */
  readonly count: number;
  /** One phrase per claim that asks for an accelerator, or that oos cannot read (fail closed). */
  readonly reasons: readonly string[];
}

interface Judged {
  /** Why this alternative is an accelerator, or undefined when it is not one. */
  readonly why: string | undefined;
  readonly count: number;
}

function judgeAlternative(
  alternative: DeviceAlternative,
  classes: GlobList,
  devices: DeviceIndex,
): Judged {
  const count = alternative.count;
  const name = alternative.deviceClass;
  if (name === undefined) {
    return { why: 'a request without a DeviceClass, which oos cannot judge', count };
  }
  const byName = classes.firstMatch(name);
  if (byName !== undefined) return { why: `DeviceClass ${name} (matches ${byName})`, count };
  const ownLiteral = alternative.literals.find((literal) => classes.matches(literal));
  if (ownLiteral !== undefined) {
    return { why: `DeviceClass ${name} with a selector naming ${ownLiteral}`, count };
  }
  const known = devices.deviceClasses.get(name);
  if (known === undefined) {
    return {
      why: `DeviceClass ${name}, which is not found: oos cannot tell which devices it selects`,
      count,
    };
  }
  if (known.selectsAll) {
    return { why: `DeviceClass ${name}, which has no selectors and selects every device`, count };
  }
  const literal = known.literals.find((candidate) => classes.matches(candidate));
  if (literal !== undefined) return { why: `DeviceClass ${name} (selects ${literal})`, count };
  return { why: undefined, count: 0 };
}

function requestsOf(
  claim: PodClaim,
  namespace: string,
  devices: DeviceIndex,
): { label: string; requests: readonly DeviceRequest[] | undefined } {
  if (claim.claim !== undefined) {
    const label = `ResourceClaim ${namespace}/${claim.claim}`;
    return { label, requests: devices.claims.get(`${namespace}/${claim.claim}`) };
  }
  if (claim.template !== undefined) {
    const label = `ResourceClaimTemplate ${namespace}/${claim.template}`;
    return { label, requests: devices.claimTemplates.get(`${namespace}/${claim.template}`) };
  }
  return { label: 'no ResourceClaim nor ResourceClaimTemplate', requests: undefined };
}

/**
 * The accelerators a pod's `spec.resourceClaims[]` allocate. Fails closed: a claim or template
 * oos does not know, a DeviceClass it does not know, and a class without selectors all count as
 * accelerators (without bound). A request allocates the most accelerators any of its
 * alternatives (`firstAvailable`) would.
 */
export function claimedAccelerators(
  pod: PodView,
  namespace: string | undefined,
  classes: GlobList,
  devices: DeviceIndex,
): ClaimedAccelerators {
  let count = 0;
  const reasons: string[] = [];
  for (const claim of pod.claims) {
    const { label, requests } = requestsOf(claim, namespace ?? '', devices);
    if (requests === undefined) {
      count = Infinity;
      reasons.push(
        `pod claim ${claim.name} names ${label}, which is not found: oos cannot tell which devices it requests`,
      );
      continue;
    }
    const whys: string[] = [];
    for (const request of requests) {
      let most = 0;
      for (const alternative of request.alternatives) {
        const judged = judgeAlternative(alternative, classes, devices);
        if (judged.why === undefined) continue;
        most = Math.max(most, judged.count);
        whys.push(judged.why);
      }
      count += most;
    }
    if (whys.length > 0) {
      reasons.push(`pod claim ${claim.name} (${label}) requests ${[...new Set(whys)].join(', ')}`);
    }
  }
  return { count, reasons };
}
