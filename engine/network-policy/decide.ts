import { LABEL_CAPABILITY, NETWORK_POLICY } from '../../api/index.js';
import { LABEL_MANAGED_BY, MANAGED_BY_VALUE } from '../coordination/index.js';
import { classifyActor, describeActor } from '../authority/identity.js';
import { settled, type Decision, type Verdict } from '../decision.js';
import type { AdmissionInput } from '../input.js';
import { arrayAt, at, sameJson, stringAt, stringMapAt } from '../json.js';
import { isOperatorUser, objectKey, type GovernanceSnapshot } from '../snapshot.js';
import { list } from '../text.js';
import { describeObject } from '../workload/view.js';
import { namespacePostures, type NamespacePostures } from './closed.js';
import { capabilityValues } from './selector.js';

/** Whether a request is about a networking.k8s.io NetworkPolicy. */
export function isNetworkPolicyRequest(input: AdmissionInput): boolean {
  return input.kind.group === NETWORK_POLICY.group && input.kind.kind === NETWORK_POLICY.kind;
}

/** Whether a NetworkPolicy (untrusted JSON) is one the oos controller owns. */
export function isManagedPolicy(object: unknown): boolean {
  return stringMapAt(object, 'metadata', 'labels').get(LABEL_MANAGED_BY) === MANAGED_BY_VALUE;
}

/** Whether a NetworkPolicy allows anything: any ingress or egress rule (none only denies). */
export function allowsTraffic(object: unknown): boolean {
  return arrayAt(object, 'spec', 'ingress').length + arrayAt(object, 'spec', 'egress').length > 0;
}

/**
 * The Closed capabilities whose Pods a policy's podSelector could select: those that exist, and
 * those not created yet that would be Closed (under a Closed GovernancePolicy posture, every
 * capability is): by name, or `any` when the selector names none.
 */
export interface Widened {
  readonly closed: readonly string[];
  readonly future: readonly string[] | 'any';
}

export function widenedCapabilities(podSelector: unknown, postures: NamespacePostures): Widened {
  const values = capabilityValues(podSelector);
  switch (values.kind) {
    case 'none':
      return { closed: [], future: [] };
    case 'some': {
      const named = [...values.values].sort();
      return {
        closed: named.filter((name) => postures.closed.has(name)),
        future: postures.policyClosed ? named.filter((name) => !postures.known.has(name)) : [],
      };
    }
    case 'all':
      return {
        closed: [...postures.closed].filter((name) => !values.except.has(name)).sort(),
        future: postures.policyClosed ? 'any' : [],
      };
  }
}

function describeWidened(widened: Widened): string | undefined {
  const parts: string[] = [];
  const { closed, future } = widened;
  if (closed.length > 0) {
    parts.push(`of Closed capabilit${closed.length === 1 ? 'y' : 'ies'} ${list(closed)}`);
  }
  if (future === 'any') {
    parts.push('of any capability created later (the GovernancePolicy posture is Closed)');
  } else if (future.length > 0) {
    parts.push(
      `of capabilit${future.length === 1 ? 'y' : 'ies'} ${list(future)}, not created yet but Closed once created (the GovernancePolicy posture is Closed)`,
    );
  }
  return parts.length === 0 ? undefined : parts.join(' and ');
}

const allow = (reason: 'NotGoverned' | 'Authorized', message: string): Decision =>
  settled(true, { reason, message }, 'Enforce');

const deny = (verdict: Verdict): Decision => settled(false, verdict, 'Enforce');

/**
 * NetworkPolicies add up: a policy of anyone's that selects a Closed capability's Pods and allows
 * traffic opens what oos isolates, so creating or changing one is refused unless its podSelector
 * rules out every Closed capability (`oos.dev/capability` DoesNotExist, or naming Open
 * capabilities only). Policies that only deny are always fine. The policies oos owns (label
 * `oos.dev/managed-by: oos`) are created, changed and deleted by the operator alone; anyone may
 * delete one that no longer protects a Closed capability, and everything goes with a namespace
 * being deleted. Never softened by the enforcement mode.
 */
export function decideNetworkPolicy(input: AdmissionInput, snapshot: GovernanceSnapshot): Decision {
  const namespace =
    input.namespace ??
    stringAt(input.object, 'metadata', 'namespace') ??
    stringAt(input.oldObject, 'metadata', 'namespace') ??
    '';
  const name =
    input.name ??
    stringAt(input.object, 'metadata', 'name') ??
    stringAt(input.oldObject, 'metadata', 'name');
  const subject = describeObject(NETWORK_POLICY.kind, namespace, name);
  const { operation } = input;
  if (
    (operation !== 'CREATE' && operation !== 'UPDATE' && operation !== 'DELETE') ||
    (input.subResource !== undefined && input.subResource !== '')
  ) {
    return allow('NotGoverned', `${operation} of ${subject} is left to RBAC.`);
  }
  const actor = classifyActor(input.userInfo, snapshot.policy);
  if (isOperatorUser(snapshot, actor.username)) {
    return allow('Authorized', `the oos operator may ${operation.toLowerCase()} ${subject}.`);
  }
  const stored = operation === 'CREATE' ? undefined : input.oldObject;
  const managed =
    isManagedPolicy(stored) || (operation !== 'DELETE' && isManagedPolicy(input.object));
  if (managed && input.namespaceTerminating === true) {
    return allow('Authorized', `${subject} goes with its namespace, which is being deleted.`);
  }
  const postures = namespacePostures(snapshot, namespace);
  if (operation === 'DELETE') {
    if (!managed) {
      return allow(
        'NotGoverned',
        `deleting ${subject} only takes away what it allowed; left to RBAC.`,
      );
    }
    const target = stringMapAt(at(stored, 'spec', 'podSelector'), 'matchLabels').get(
      LABEL_CAPABILITY,
    );
    const leaving =
      target !== undefined &&
      snapshot.capabilities.get(objectKey(namespace, target))?.capability.metadata
        .deletionTimestamp !== undefined;
    if (target === undefined || !postures.closed.has(target) || leaving) {
      return allow(
        'Authorized',
        `${subject} no longer isolates a Closed capability (${target === undefined ? 'it names none' : `capability ${namespace}/${target} is gone, being deleted or Open`}), so anyone RBAC allows may delete it (the garbage collector with its capability).`,
      );
    }
    return deny({
      reason: 'ManagedByOos',
      message: `${describeActor(actor)} cannot delete ${subject}: it isolates the Pods of Closed capability ${namespace}/${target} and is owned by the oos controller, which alone creates, changes and deletes it; change the capability's spec.interactions (or its posture) and the controller follows.`,
    });
  }
  if (managed) {
    return deny({
      reason: 'ManagedByOos',
      message: `${describeActor(actor)} cannot ${operation === 'CREATE' ? 'create' : 'change'} ${subject}: NetworkPolicies labelled ${LABEL_MANAGED_BY}: ${MANAGED_BY_VALUE} are the oos controller's own, written from the capabilities' agreed interactions; change spec.interactions of the capability instead, or drop the label from a policy of your own.`,
    });
  }
  if (operation === 'UPDATE' && sameJson(at(stored, 'spec'), at(input.object, 'spec'))) {
    return allow('NotGoverned', `this change of ${subject} leaves its spec as it was.`);
  }
  if (!allowsTraffic(input.object)) {
    return allow('NotGoverned', `${subject} only denies traffic; left to RBAC.`);
  }
  const which = describeWidened(
    widenedCapabilities(at(input.object, 'spec', 'podSelector'), postures),
  );
  if (which === undefined) {
    return allow('NotGoverned', `${subject} selects no Pod of a Closed capability; left to RBAC.`);
  }
  return deny({
    reason: 'NetworkPolicyWidensCapability',
    message: `${describeActor(actor)} cannot ${operation === 'CREATE' ? 'create' : 'change'} ${subject} with ingress or egress rules: its podSelector could select the Pods ${which}, and NetworkPolicies add up, so it would open what oos isolates; declare the interaction in the capabilities' spec.interactions (both roles consent), or keep their Pods out of the podSelector with matchExpressions [{key: ${LABEL_CAPABILITY}, operator: DoesNotExist}] (or name only Open capabilities).`,
  });
}
