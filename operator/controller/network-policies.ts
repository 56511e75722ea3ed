import type { Logger } from 'pino';
import { API_VERSION, NETWORK_POLICY } from '../../api/index.js';
import { LABEL_MANAGED_BY, MANAGED_BY_VALUE } from '../../engine/coordination/index.js';
import type { Tampering } from '../../engine/escalation/index.js';
import type { RoundPlan } from '../../engine/plan/index.js';
import {
  intact,
  liveRepair,
  ownerCapability,
  policyKey,
  policyToWrite,
  sameContent,
  type OwnedPolicy,
  type PlannedPolicy,
  type PolicyObject,
  type RepairCause,
} from '../../engine/plan/network-policy.js';
import { parseTime } from '../../engine/time.js';
import { Informer, type StoreChange } from '../cache/informer.js';
import { isAlreadyExists, isNotFound } from '../kube/errors.js';
import type { KubeRest } from '../kube/rest.js';
import type { ControllerMetrics } from '../metrics/controller-metrics.js';
import type { EventRecorder } from './events/recorder.js';
import { WriteOverlay } from './overlay.js';
import { clusterPath, collectionPath, objectPath, type Resource } from './paths.js';

/** The NetworkPolicy resource (its group, kind and plural named once, in api/network-policy.ts). */
export const NETWORK_POLICIES: Resource = { ...NETWORK_POLICY, version: 'v1', namespaced: true };

/** The label every NetworkPolicy oos owns carries, as a selector (the informer sees only those). */
export const MANAGED_SELECTOR = `${LABEL_MANAGED_BY}=${MANAGED_BY_VALUE}`;

/** `netpol/<namespace>/<name>`: the queue key of one NetworkPolicy. */
export function policyQueueKey(key: string): string {
  return `netpol/${key}`;
}

export interface NetworkPolicyWriterOptions {
  readonly rest: KubeRest;
  readonly logger: Logger;
  readonly events: EventRecorder;
  readonly metrics: ControllerMetrics;
  readonly clock: () => Date;
  /** A managed policy changed or went away other than by this writer: a round should look. */
  readonly onDrift: () => void;
}

/**
 * Keeps the NetworkPolicies of Closed capabilities as the round planned them (engine/plan): creates
 * and updates each (the whole object, so nothing another writer added survives), deletes those no
 * capability wants (it became Open; a deleted capability's policy is the garbage collector's,
 * through its ownerReference), and writes back one that someone else changed or deleted: a
 * repair, recorded on the policy (so the NetworkPolicyTampered escalation survives a restart), in
 * a Warning Event on the Capability and in `oos_network_policy_repairs_total`.
 *
 * Someone else's change is told from this writer's own in two ways: the content no longer matches
 * the hash oos stamped on it (any time, restarts included), or a version this writer did not
 * write differs from the one it wrote (while it runs, so a forged hash is caught too).
 */
export class NetworkPolicyWriter {
  private readonly informer: Informer<PolicyObject>;
  private readonly overlay = new WriteOverlay<PolicyObject>();
  /** What this writer last wrote of each key (the apiserver's answer). */
  private readonly written = new Map<string, PolicyObject>();
  /** Keys whose policy left the managed set (deleted, or its label removed) without this writer. */
  private readonly vanished = new Set<string>();
  /** Keys this writer is deleting (their DELETED events are its own). */
  private readonly deleting = new Set<string>();

  constructor(private readonly options: NetworkPolicyWriterOptions) {
    this.informer = new Informer<PolicyObject>({
      name: 'NetworkPolicy',
      path: clusterPath(NETWORK_POLICIES),
      labelSelector: MANAGED_SELECTOR,
      // Without the RBAC for NetworkPolicies (an older chart) the rest of the controller runs;
      // every write then fails, retried and counted in oos_reconcile_errors_total.
      optional: true,
      forbiddenIsAbsent: true,
      rest: options.rest,
      logger: options.logger,
      onChange: (change) => {
        this.observe(change as StoreChange<PolicyObject> | undefined);
      },
    });
  }

  start(): void {
    this.informer.start();
  }

  async stop(): Promise<void> {
    await this.informer.stop();
  }

  synced(): boolean {
    return this.informer.synced();
  }

  /** The repairs the managed policies record whose window lasts at `now` (the plan's input). */
  tamperings(now: number): Tampering[] {
    const found: Tampering[] = [];
    for (const policy of this.informer.items()) {
      const repair = liveRepair(policy, now);
      const capability = ownerCapability(policy);
      const at = parseTime(repair?.at);
      if (repair === undefined || capability === undefined || at === undefined) continue;
      found.push({
        namespace: policy.metadata.namespace ?? '',
        capability,
        policy: policy.metadata.name ?? '',
        at,
        cause: repair.cause,
      });
    }
    return found;
  }

  /**
   * The keys the round must reconcile: every planned policy that is absent or differs from what
   * should be written, and every managed policy no capability wants.
   */
  drifted(plan: RoundPlan): string[] {
    const keys: string[] = [];
    const now = plan.at.getTime();
    for (const [key, planned] of plan.networkPolicies) {
      const live = this.current(key, planned.namespace, planned.name);
      if (live === undefined || !this.matches(key, live, planned, now)) keys.push(key);
    }
    for (const policy of this.informer.items()) {
      const key = policyKey(policy);
      if (!plan.networkPolicies.has(key)) keys.push(key);
    }
    // Gone with their capability (the garbage collector): nothing to repair.
    for (const key of this.vanished) if (!plan.networkPolicies.has(key)) this.vanished.delete(key);
    return keys;
  }

  /** Makes the policy `namespace/name` what the round planned. */
  async reconcile(key: string, plan: RoundPlan): Promise<void> {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const planned = plan.networkPolicies.get(key);
    const now = this.options.clock().getTime();
    const live = this.current(key, namespace, name);
    if (planned === undefined) {
      if (live !== undefined) await this.remove(key, namespace, name);
      this.vanished.delete(key);
      return;
    }
    let cause: RepairCause | undefined;
    if (live === undefined) {
      if (this.vanished.has(key)) cause = 'deleted';
    } else if (this.tampered(key, live)) {
      cause = 'changed';
    } else if (this.matches(key, live, planned, now)) {
      return;
    }
    if (cause === 'deleted' && !(await this.ownerExists(planned))) {
      // The garbage collector removed it with its Capability, which the cache still holds.
      this.vanished.delete(key);
      return;
    }
    const repairedAt = new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const repair = cause === undefined ? liveRepair(live, now) : { at: repairedAt, cause };
    let body = policyToWrite(planned.desired, planned.owner, repair);
    let written: PolicyObject;
    if (live === undefined) {
      try {
        written = await this.options.rest.request<PolicyObject>(
          'POST',
          collectionPath(NETWORK_POLICIES, namespace),
          { body },
        );
      } catch (error) {
        if (!isAlreadyExists(error)) throw error;
        // The policy is there without oos's label: someone took it out of the managed set.
        cause = 'changed';
        body = policyToWrite(planned.desired, planned.owner, { at: repairedAt, cause });
        written = await this.replace(namespace, name, body);
      }
    } else {
      written = await this.replace(namespace, name, body);
    }
    this.overlay.record(key, written);
    this.written.set(key, written);
    this.vanished.delete(key);
    this.options.metrics.networkPolicyWrites.inc({ action: 'apply' });
    if (cause !== undefined) this.repaired(planned, cause);
    else this.options.logger.debug({ namespace, name }, 'NetworkPolicy written');
  }

  /** The newer of the cached policy and this writer's last write of it. */
  private current(key: string, namespace: string, name: string): PolicyObject | undefined {
    if (this.vanished.has(key)) return undefined;
    return this.overlay.resolve(key, this.informer.get(namespace, name));
  }

  /** Whether `live` is what should be written now (intact, and the same content). */
  private matches(key: string, live: PolicyObject, planned: PlannedPolicy, now: number): boolean {
    if (this.tampered(key, live)) return false;
    return sameContent(live, policyToWrite(planned.desired, planned.owner, liveRepair(live, now)));
  }

  /** Whether someone other than this writer changed `live` since oos wrote it. */
  private tampered(key: string, live: PolicyObject): boolean {
    if (!intact(live)) return true;
    const mine = this.written.get(key);
    return (
      mine !== undefined &&
      mine.metadata.resourceVersion !== live.metadata.resourceVersion &&
      !sameContent(mine, live)
    );
  }

  private replace(namespace: string, name: string, body: OwnedPolicy): Promise<PolicyObject> {
    // No resourceVersion: the whole object replaces whatever is stored (NetworkPolicies allow
    // unconditional updates), so nothing another writer added survives.
    return this.options.rest.request<PolicyObject>(
      'PUT',
      objectPath(NETWORK_POLICIES, namespace, name),
      { body },
    );
  }

  private async remove(key: string, namespace: string, name: string): Promise<void> {
    this.deleting.add(key);
    try {
      await this.options.rest.request('DELETE', objectPath(NETWORK_POLICIES, namespace, name));
      this.options.metrics.networkPolicyWrites.inc({ action: 'delete' });
      this.options.logger.info({ namespace, name }, 'NetworkPolicy deleted (capability is Open)');
    } catch (error) {
      if (!isNotFound(error)) throw error;
    } finally {
      this.overlay.forget(key);
      this.written.delete(key);
    }
  }

  /** Whether the Capability the policy belongs to still exists (the same one). */
  private async ownerExists(planned: PlannedPolicy): Promise<boolean> {
    try {
      const found = await this.options.rest.request<{ metadata?: { uid?: string } }>(
        'GET',
        `/apis/${API_VERSION}/namespaces/${encodeURIComponent(planned.namespace)}/capabilities/${encodeURIComponent(planned.owner.name)}`,
      );
      return found.metadata?.uid === planned.owner.uid;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private repaired(planned: PlannedPolicy, cause: RepairCause): void {
    const { namespace, name, owner } = planned;
    this.options.metrics.networkPolicyRepairs.inc({ cause });
    this.options.logger.warn(
      { namespace, name, capability: owner.name, cause },
      'repaired a NetworkPolicy someone else changed or deleted',
    );
    this.options.events.emit({
      regarding: {
        apiVersion: API_VERSION,
        kind: 'Capability',
        namespace,
        name: owner.name,
        uid: owner.uid,
      },
      related: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace, name },
      type: 'Warning',
      reason: 'NetworkPolicyRepaired',
      action: 'RepairNetworkPolicy',
      note: `NetworkPolicy ${name}, which isolates the capability's Pods, was ${cause} by someone other than oos; oos wrote it back and escalated to the accountable role (NetworkPolicyTampered).`,
    });
  }

  /** A watch event: a policy leaving the managed set without this writer is drift. */
  private observe(change: StoreChange<PolicyObject> | undefined): void {
    if (change === undefined) {
      this.options.onDrift();
      return;
    }
    const { previous, next } = change;
    if (next === undefined && previous !== undefined) {
      const key = policyKey(previous);
      this.overlay.forget(key);
      if (this.deleting.delete(key)) return;
      this.vanished.add(key);
      this.options.onDrift();
      return;
    }
    if (next === undefined) return;
    const key = policyKey(next);
    this.vanished.delete(key);
    // This writer's own echo needs no round.
    if (this.written.get(key)?.metadata.resourceVersion === next.metadata.resourceVersion) return;
    this.options.onDrift();
  }
}
