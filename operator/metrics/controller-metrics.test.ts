import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { controllerMetrics, controllerMetricsBytes } from './controller-metrics.js';

describe('the controller’s metrics as bytes', () => {
  it('are the registry’s text and then the parted gauges’, in UTF-8, each family once', async () => {
    const registry = new Registry();
    const metrics = controllerMetrics(registry);
    metrics.vacantRoles.set(2);
    metrics.aiWorkloads.setPart('équipe', [
      { labels: { namespace: 'équipe', capability: 'résumé', anchored: 'true' }, value: 3 },
    ]);
    const text = new TextDecoder().decode(await controllerMetricsBytes(registry));
    expect(text).toBe(
      `${await registry.metrics()}\n${metrics.aiWorkloads.text()}\n${metrics.exemptWorkloads.text()}`,
    );
    expect(text).toContain('oos_accountable_roles_vacant 2\n');
    expect(text).toContain(
      'oos_ai_workloads{namespace="équipe",capability="résumé",anchored="true"} 3\n',
    );
    const families = text.split('\n').filter((line) => line.startsWith('# TYPE '));
    expect(new Set(families).size).toBe(families.length);
    expect(families).toContain('# TYPE oos_exempt_ai_workloads gauge');
    expect(text.endsWith('\n')).toBe(true);
  });
});
