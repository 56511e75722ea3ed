import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKLOAD_TYPES } from '../../api/index.js';
import { SCALE_TARGETS } from '../../operator/cache/scale-targets.js';
import { workloadRules } from '../../webhooks/registration.js';
import { CHART_DIR } from './values-table.js';
import { chartWorkloadLists, renderWorkloadTypes, WORKLOAD_TYPES_FILE } from './workload-types.js';

const template = (name: string): string => readFileSync(join(CHART_DIR, 'templates', name), 'utf8');

describe("the chart's copy of the workload-type table", () => {
  it('is what api/workload-types.ts generates (run `npm run chart:workloads` after changing it)', () => {
    expect(readFileSync(WORKLOAD_TYPES_FILE, 'utf8')).toBe(renderWorkloadTypes());
  });

  it('gives the chart the webhook rules the operator registers', () => {
    expect(chartWorkloadLists().webhookRules).toEqual(workloadRules());
  });

  it('is what every template ranges over: no template lists a workload resource by hand', () => {
    const uses: [string, string][] = [
      ['webhooks.yaml', '$types.webhookRules'],
      ['fallback-policy.yaml', '$types.fallbackRules'],
      ['rbac.yaml', '$types.rbac.read'],
      ['rbac.yaml', '$types.rbac.stop'],
      ['rbac.yaml', '$types.rbac.scale'],
      ['rbac.yaml', '$types.rbac.definitions'],
    ];
    for (const [name, list] of uses) expect(template(name), name).toContain(`range ${list}`);
    // A resource list (`resources: [...]`, `- name`) naming a workload resource is a hand copy.
    const lists = (text: string) =>
      text
        .split('\n')
        .filter((line) => /^\s*resources:|^\s*- [a-z/]+$/.test(line))
        .join('\n');
    for (const name of ['webhooks.yaml', 'fallback-policy.yaml', 'rbac.yaml']) {
      const text = lists(template(name));
      for (const type of WORKLOAD_TYPES) {
        expect(text, `${name} names ${type.plural}`).not.toMatch(
          new RegExp(`[\\s\\[,]${type.plural}[\\s\\],/]|${type.plural}$`, 'm'),
        );
      }
    }
  });

  it('lets the operator read every kind, stop the stoppable ones and scale those with scale', () => {
    const { rbac, fallbackRules } = chartWorkloadLists();
    const resources = (rules: readonly { resources: readonly string[] }[]) =>
      rules.flatMap((rule) => rule.resources);
    expect(resources(rbac.read)).toEqual(WORKLOAD_TYPES.map((type) => type.plural));
    expect(resources(rbac.stop)).toEqual(
      expect.arrayContaining(['deployments', 'jobs', 'pytorchjobs']),
    );
    expect(resources(rbac.stop)).not.toContain('pods');
    expect(resources(rbac.stop)).not.toContain('daemonsets');
    expect(resources(rbac.scale)).toEqual(
      expect.arrayContaining([
        ...SCALE_TARGETS.map((target) => `${target.resource}/scale`),
        'inferenceservices/scale',
      ]),
    );
    expect(rbac.definitions).toContain('inferenceservices.serving.kserve.io');
    // The fallback policy reads pod templates: built-ins only, never a Scale.
    expect(resources(fallbackRules)).toContain('pods/ephemeralcontainers');
    expect(resources(fallbackRules).filter((r) => r.endsWith('/scale'))).toEqual([]);
    expect(resources(fallbackRules)).not.toContain('inferenceservices');
  });
});
