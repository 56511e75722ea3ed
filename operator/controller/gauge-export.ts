import type { LabelCounts, RoundMetrics } from '../../engine/plan/index.js';
import type { ControllerMetrics } from '../metrics/controller-metrics.js';
import type { PartedGauge } from '../metrics/parted-gauge.js';

/** The part of a prom-client Gauge the export writes. */
export interface LabelledGauge {
  set(labels: never, value: number): void;
  remove(labels: never): void;
}

interface Exported {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * Writes a round's gauge values (engine/plan/metrics.ts) into the controller's Prometheus gauges,
 * remembering what it wrote: a series is set only when its value changed and removed when it is
 * gone. The gauges parted by namespace are written per namespace, and only for a namespace whose
 * counts are other objects than last time: a round that reuses a namespace costs nothing here.
 */
export class GaugeExport {
  private readonly whole = new Map<LabelledGauge, ReadonlyMap<string, Exported>>();
  private readonly parted = new Map<PartedGauge, ReadonlyMap<string, LabelCounts>>();

  /** Exports every gauge of a round. */
  export(metrics: ControllerMetrics, values: RoundMetrics): void {
    this.set(metrics.capabilities, values.capabilities);
    metrics.vacantRoles.set(values.vacantRoles);
    this.set(metrics.delegations, values.delegations);
    this.set(metrics.openEscalations, values.openEscalations);
    this.set(metrics.invalidObjects, values.invalidObjects);
    this.setParted(metrics.exemptWorkloads, values.namespaces, (part) => part.exemptWorkloads);
    this.setParted(metrics.aiWorkloads, values.namespaces, (part) => part.aiWorkloads);
    metrics.unanchoredWorkloads.set(values.unanchoredWorkloads);
    this.set(metrics.interactions, values.interactions);
  }

  /** Forgets what was exported (the gauges were reset). */
  clear(): void {
    this.whole.clear();
    this.parted.clear();
  }

  private set(gauge: LabelledGauge, counts: LabelCounts): void {
    this.whole.set(gauge, write(gauge, counts, this.whole.get(gauge)));
  }

  private setParted<P>(
    gauge: PartedGauge,
    parts: ReadonlyMap<string, P>,
    countsOf: (part: P) => LabelCounts,
  ): void {
    const before = this.parted.get(gauge);
    const after = new Map<string, LabelCounts>();
    for (const [namespace, part] of parts) {
      const counts = countsOf(part);
      if (before?.get(namespace) !== counts) gauge.setPart(namespace, counts.entries());
      after.set(namespace, counts);
    }
    for (const namespace of before?.keys() ?? []) {
      if (!after.has(namespace)) gauge.removePart(namespace);
    }
    this.parted.set(gauge, after);
  }
}

/** Sets the series of `counts` that differ from `before` and removes those gone; returns them. */
function write(
  gauge: LabelledGauge,
  counts: LabelCounts,
  before: ReadonlyMap<string, Exported> | undefined,
): ReadonlyMap<string, Exported> {
  const after = new Map<string, Exported>();
  for (const { id, labels, value } of counts.entries()) {
    after.set(id, { labels, value });
    if (before?.get(id)?.value !== value) gauge.set(labels as never, value);
  }
  for (const [id, { labels }] of before ?? []) if (!after.has(id)) remove(gauge, labels);
  return after;
}

function remove(gauge: LabelledGauge, labels: Readonly<Record<string, string>>): void {
  gauge.remove(labels as never);
}
