import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { NamespaceMetrics, RoundMetrics } from '../../engine/plan/index.js';
import { controllerMetrics } from '../metrics/controller-metrics.js';
import type { PartedGauge } from '../metrics/parted-gauge.js';
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

/** The series of a parted gauge's text as `namespace/anchored=value` (or `/exempted_by=`), sorted. */
function series(gauge: PartedGauge): string[] {
  return gauge
    .text()
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /\{namespace="([^"]*)",(?:capability="[^"]*",)?\w+="([^"]*)"\} (\S+)$/.exec(
        line,
      );
      if (match === null) throw new Error(`not a series: ${line}`);
      return `${String(match[1])}/${String(match[2])}=${String(match[3])}`;
    })
    .sort();
}

describe('the export of a round’s gauges', () => {
  it('writes each namespace’s series, again only for the namespaces whose share is another', async () => {
    const registry = new Registry();
    const metrics = controllerMetrics(registry);
    let sets = 0;
    const setPart = metrics.aiWorkloads.setPart.bind(metrics.aiWorkloads);
    metrics.aiWorkloads.setPart = (...args) => {
      sets += 1;
      setPart(...args);
    };
    const gauges = new GaugeExport();
    const a = share('a', 2);
    const b = share('b', 1, 1);
    gauges.export(metrics, round({ a, b }));
    expect(series(metrics.aiWorkloads)).toEqual(['a/true=2', 'b/false=1', 'b/true=1']);
    expect(series(metrics.exemptWorkloads)).toEqual(['b/ExemptNamespace=1']);
    expect(
      (await registry.getSingleMetric('oos_unanchored_ai_workloads')?.get())?.values[0]?.value,
    ).toBe(1);
    expect(sets).toBe(2);

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
    expect(series(metrics.aiWorkloads)).toEqual(['a/true=2', 'b/true=1', 'c/true=4']);
    expect(series(metrics.exemptWorkloads)).toEqual([]);
    // b's and c's parts, a's was not read.
    expect(sets).toBe(2);
    expect(read).toBe(0);

    // A namespace gone takes its series with it.
    gauges.export(metrics, round({ c: share('c', 4) }));
    expect(series(metrics.aiWorkloads)).toEqual(['c/true=4']);
  });
});
