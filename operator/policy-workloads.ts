import type { Logger } from 'pino';
import { kindsBeyondTable, workloadTypeKey, type GroupKind } from '../api/index.js';
import type { GovernanceSnapshot } from '../engine/snapshot.js';
import type { ExtraWorkloadResource } from '../webhooks/registration.js';
import { resolveKind } from './kube/discovery.js';
import type { KubeRest } from './kube/rest.js';

/** The kinds the policy in force adds to the table (`aiWorkloadDetection.kinds`). */
export function policyKinds(snapshot: GovernanceSnapshot | undefined): GroupKind[] {
  return kindsBeyondTable(snapshot?.policy.spec.aiWorkloadDetection.kinds);
}

/** `apps/Deployment,...`: what changes when the policy's kinds change. */
export function kindsKey(kinds: readonly GroupKind[]): string {
  return kinds.map(workloadTypeKey).sort().join(',');
}

/**
 * The resources of the kinds a GovernancePolicy adds, through discovery, for the webhook rules.
 * A kind not installed (or not namespaced) gets no rule yet: the registration is published
 * again every few minutes and whenever the policy changes, so it gets one once its CRD is there.
 */
export async function resolvePolicyWorkloads(
  rest: KubeRest,
  kinds: readonly GroupKind[],
  logger: Logger,
): Promise<ExtraWorkloadResource[]> {
  const resolved: ExtraWorkloadResource[] = [];
  for (const kind of kinds) {
    const found = await resolveKind(rest, kind);
    if (found.state === 'served' && found.namespaced) {
      resolved.push({ group: kind.group, plural: found.plural });
    } else {
      logger.info(
        { kind: workloadTypeKey(kind), state: found.state },
        'a kind the GovernancePolicy names is not served; no webhook rule for it yet',
      );
    }
  }
  return resolved;
}
