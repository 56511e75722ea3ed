import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { NamespaceMetrics, RoundMetrics } from '../../engine/plan/index.js';
import { controllerMetrics } from '../metrics/controller-metrics.js';
import { GaugeExport } from './gauge-export.js';

/** A namespace's share with `anchored` and `unanchored` AI workloads of capability `cap`. */
function share(namespace: string, anchored: number, unanchored = 0): NamespaceMetrics {
  const part = new NamespaceMetrics();
  const finding = (exemptedBy?: string) =>
    ({ workload: { namespace }, capability: 'cap', exemptedBy }) as unknown as Parameters<
      NamespaceMetrics['finding']
    >[0];
  for (let i = 0; i < anchored; i++) part.finding(finding(), true);
  for (let i = 0; i < unanchored; i++) part.finding(finding('ExemptNamespace'), false);
  return part;
}

function round(parts: Record<string, NamespaceMetrics>): RoundMetrics {
  const metrics = new RoundMetrics();
  for (const [namespace, part] of Object.entries(parts)) metrics.add(namespace, part);
  return metrics;
}

/** The exported series of `oos_ai_workloads` as `namespace/anchored=value`, sorted. */
async function series(registry: Registry, name: string): Promise<string[]> {
  const metric = await registry.getSingleMetric(name)?.get();
  return (metric?.values ?? [])
    .map(
      (v) =>
        `${String(v.labels.namespace)}/${String(v.labels.anchored ?? v.labels.exempted_by)}=${String(v.value)}`,
    )
    .sort();
}

describe('the export of a round’s gauges', () => {
  it('writes each namespace’s series, again only for the namespaces whose share is another', async () => {
    const registry = new Registry();
    const metrics = controllerMetrics(registry);
    let sets = 0;
    const set = metrics.aiWorkloads.set.bind(metrics.aiWorkloads);
    metrics.aiWorkloads.set = ((...args: Parameters<typeof set>) => {
      sets += 1;
      set(...args);
    }) as typeof set;
    const gauges = new GaugeExport();
    const a = share('a', 2);
    const b = share('b', 1, 1);
    gauges.export(metrics, round({ a, b }));
    expect(await series(registry, 'oos_ai_workloads')).toEqual([
      'a/true=2',
      'b/false=1',
      'b/true=1',
    ]);
    expect(await series(registry, 'oos_exempt_ai_workloads')).toEqual(['b/ExemptNamespace=1']);
    expect(
      (await registry.getSingleMetric('oos_unanchored_ai_workloads')?.get())?.values[0]?.value,
    ).toBe(1);
    expect(sets).toBe(3);

    // The same shares: nothing is set again, nor read.
    sets = 0;
    let read = 0;
    const entries = a.aiWorkloads.entries.bind(a.aiWorkloads);
    a.aiWorkloads.entries = () => {
      read += 1;
      return entries();
    };
    gauges.export(metrics, round({ a, b }));
    expect(sets).toBe(0);
    expect(read).toBe(0);

    // b planned again with its unanchored workload gone, a reused, c new.
    gauges.export(metrics, round({ a, b: share('b', 1), c: share('c', 4) }));
    expect(await series(registry, 'oos_ai_workloads')).toEqual([
      'a/true=2',
      'b/true=1',
      'c/true=4',
    ]);
    expect(await series(registry, 'oos_exempt_ai_workloads')).toEqual([]);
    // c's series only: b's value did not change, a was not read.
    expect(sets).toBe(1);

    // A namespace gone takes its series with it.
    gauges.export(metrics, round({ c: share('c', 4) }));
    expect(await series(registry, 'oos_ai_workloads')).toEqual(['c/true=4']);
  });
});
