/** The values of the controller's gauges after one round: label sets and counts. */
import type { Capability, DelegationState, Escalation } from '../../api/index.js';
import type { Finding } from '../escalation/audit.js';
import { findCondition } from '../status/conditions.js';
import type { SchemaIssues } from '../status/valid.js';

type Labels = Readonly<Record<string, string>>;

/** Counts per label set, in first-seen order. */
export class LabelCounts {
  private readonly counts = new Map<string, { labels: Labels; value: number }>();

  inc(labels: Labels, by = 1): void {
    // Each counter is always given the same label names in the same order: the values are the id.
    const id = Object.values(labels).join('\u0000');
    const found = this.counts.get(id);
    if (found === undefined) this.counts.set(id, { labels, value: by });
    else found.value += by;
  }

  /** Adds every count of `other`. */
  add(other: LabelCounts): void {
    for (const [id, { labels, value }] of other.counts) {
      const found = this.counts.get(id);
      if (found === undefined) this.counts.set(id, { labels, value });
      else found.value += value;
    }
  }

  /** Each label set with its count, and an id that is the same for the same label values. */
  entries(): readonly { readonly id: string; readonly labels: Labels; readonly value: number }[] {
    return [...this.counts].map(([id, { labels, value }]) => ({ id, labels, value }));
  }
}

/** One namespace's share of the gauges (engine/plan/namespace.ts). */
export class NamespaceMetrics {
  readonly capabilities = new LabelCounts();
  readonly delegations = new LabelCounts();
  /** Labelled by namespace: the round reads them in place ({@link RoundMetrics.namespaces}). */
  readonly exemptWorkloads = new LabelCounts();
  /** Labelled by namespace, as `exemptWorkloads`. */
  readonly aiWorkloads = new LabelCounts();
  unanchoredWorkloads = 0;

  capability(capability: Capability, wanted: Readonly<Record<string, unknown>>): void {
    const conditions = wanted.conditions as Parameters<typeof findCondition>[0];
    this.capabilities.inc({
      autonomy: capability.spec.autonomy,
      risk_tier: capability.spec.riskTier,
      ready: findCondition(conditions, 'Ready')?.status ?? 'Unknown',
    });
  }

  delegation(state: DelegationState): void {
    this.delegations.inc({ state });
  }

  finding(finding: Finding, anchored: boolean): void {
    const namespace = finding.workload.namespace ?? '';
    if (finding.exemptedBy !== undefined) {
      this.exemptWorkloads.inc({ namespace, exempted_by: finding.exemptedBy });
    }
    if (!anchored) this.unanchoredWorkloads += 1;
    this.aiWorkloads.inc({
      namespace,
      capability: finding.capability ?? '',
      anchored: String(anchored),
    });
  }
}

/**
 * The gauges of a round. Those few series summed over the namespaces are summed; those labelled
 * by namespace (a series per capability: 5,000 at full size) are each namespace's own, read in
 * place, so a round that reuses a namespace neither copies nor exports its series again.
 */
export class RoundMetrics {
  readonly capabilities = new LabelCounts();
  vacantRoles = 0;
  readonly delegations = new LabelCounts();
  readonly openEscalations = new LabelCounts();
  readonly invalidObjects = new LabelCounts();
  unanchoredWorkloads = 0;
  /** Declared interactions by direction and state (the round adds them, once, from the graph). */
  readonly interactions = new LabelCounts();
  /** Each namespace's share, whose `aiWorkloads` and `exemptWorkloads` are the round's. */
  readonly namespaces = new Map<string, NamespaceMetrics>();

  /** Adds a namespace's share. */
  add(namespace: string, part: NamespaceMetrics): void {
    this.capabilities.add(part.capabilities);
    this.delegations.add(part.delegations);
    this.unanchoredWorkloads += part.unanchoredWorkloads;
    this.namespaces.set(namespace, part);
  }

  openEscalation(e: Escalation): void {
    this.openEscalations.inc({
      trigger: e.spec.trigger,
      severity: e.spec.severity,
      level: String(e.status?.level ?? 0),
    });
  }

  invalidObject(object: SchemaIssues): void {
    this.invalidObjects.inc({ kind: object.kind, part: object.part });
  }
}
