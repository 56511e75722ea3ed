/** The values of the controller's gauges after one round: label sets and counts. */
import type { Capability, DelegationState, Escalation } from '../../api/index.js';
import type { Finding } from '../escalation/audit.js';
import { findCondition } from '../status/conditions.js';
import type { SchemaIssues } from '../status/valid.js';

type Labels = Readonly<Record<string, string>>;

/** Counts per label set, in first-seen order. */
export class LabelCounts {
  private readonly counts = new Map<string, { labels: Labels; value: number }>();

  inc(labels: Labels): void {
    const id = JSON.stringify(labels);
    const found = this.counts.get(id);
    if (found === undefined) this.counts.set(id, { labels, value: 1 });
    else found.value += 1;
  }

  entries(): readonly { readonly labels: Labels; readonly value: number }[] {
    return [...this.counts.values()];
  }
}

export class RoundMetrics {
  readonly capabilities = new LabelCounts();
  vacantRoles = 0;
  readonly delegations = new LabelCounts();
  readonly openEscalations = new LabelCounts();
  readonly invalidObjects = new LabelCounts();
  readonly exemptWorkloads = new LabelCounts();
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
