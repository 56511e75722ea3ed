import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  adminBinding,
  ADMIN_USER,
  installCrds,
  isoIn,
  removeWebhooks,
} from '../support/cluster.js';
import { kubectl, kubectlOk } from '../support/kubectl.js';
import { startOperator, type RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';

/**
 * The alerts (charts/oos/files/alerts.yaml) and the dashboard (charts/oos/files/dashboard.json)
 * name metrics and labels; an alert on a name the operator does not export never fires. This file
 * runs the real operator with governance objects and an unanchored AI workload, so the labelled
 * series exist, and checks every name against its real /metrics.
 */

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NS = 'metrics-e2e';
const OWNER = 'metrics-e2e-owner';
const VACANT = 'metrics-e2e-vacant';
const PEOPLE = 'metrics-e2e-people';
const ALICE = { as: 'metrics-e2e-alice', groups: [PEOPLE] };

/**
 * Series that only appear after rare events (a broken watch, the stop button, a failed write, a
 * status someone else wrote, an object its schema refuses: e2e/adversary/controller.e2e.ts).
 */
const RARE = new Set([
  'oos_watch_restarts_total',
  'oos_stop_actions_total',
  'oos_reconcile_errors_total',
  'oos_status_repairs_total',
  'oos_network_policy_repairs_total',
  'oos_controller_thread_restarts_total',
  'oos_governance_invalid_objects',
]);
const HISTOGRAM_SUFFIX = /_(bucket|sum|count)$/;

const inDays = (days: number): string => isoIn(days * 86_400_000);

const setup = `
${adminBinding(PEOPLE, PEOPLE)}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: llm, namespace: ${NS} }
---
apiVersion: oos.dev/v1alpha1
kind: GovernancePolicy
metadata: { name: default }
spec:
  enforcement: Audit
---
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: ${OWNER} }
spec:
  title: ML Platform Owner
  responsibilities: [Risk]
  holders:
    - { name: Alice Example, email: alice@example.com, user: ${ALICE.as}, attestedUntil: '${inDays(365)}' }
---
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: ${VACANT} }
spec:
  title: Nobody yet
  responsibilities: [Risk]
  holders: []
`;

/** A Closed capability with one egress, and a delegation that expires inside the default 14-day lead time. */
const governance = `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: llm-serving, namespace: ${NS} }
spec:
  description: Serves an internal language model.
  intendedUse: Drafts answers that a person reviews.
  accountableRole: ${OWNER}
  autonomy: Supervised
  riskTier: Limited
  # Closed, with one declared destination: the interactions gauge and a NetworkPolicy write.
  interactions:
    posture: Closed
    egress:
      - { name: partner, cidrs: [203.0.113.0/24], ports: [{ port: 443 }], justification: Partner API. }
---
apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: llm-serving-llm, namespace: ${NS} }
spec:
  capability: llm-serving
  serviceAccount: llm
  validUntil: '${inDays(7)}'
  justification: The serving Deployment runs as this ServiceAccount.
`;

/** An AI agent (it holds a model-provider credential) that no capability anchors. */
const unanchored = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: agent, namespace: ${NS} }
spec:
  replicas: 1
  selector: { matchLabels: { app: agent } }
  template:
    metadata: { labels: { app: agent } }
    spec:
      containers:
        - name: agent
          image: registry.example/support-agent:1
          env: [{ name: OPENAI_API_KEY, value: not-a-real-key }]
`;

interface Exposition {
  /** `# TYPE` of each metric family. */
  readonly types: ReadonlyMap<string, string>;
  /** The label names seen on the samples of each family (histogram series under their family). */
  readonly labels: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Parses the Prometheus text exposition format: families and the label names of their samples. */
function parseExposition(text: string): Exposition {
  const types = new Map<string, string>();
  const labels = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type?.[1] !== undefined && type[2] !== undefined) {
      types.set(type[1], type[2]);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line);
    if (sample?.[1] === undefined) continue;
    const name = sample[1];
    const family = types.has(name) ? name : name.replace(HISTOGRAM_SUFFIX, '');
    const names = labels.get(family) ?? new Set<string>();
    for (const match of (sample[2] ?? '').matchAll(/([a-zA-Z_]\w*)="(?:[^"\\]|\\.)*"/g)) {
      if (match[1] !== undefined) names.add(match[1]);
    }
    labels.set(family, names);
  }
  return { types, labels };
}

/** One PromQL expression of the alerts or the dashboard, and where it is. */
interface Query {
  readonly where: string;
  readonly expr: string;
}

function alertQueries(): Query[] {
  const file = parse(readFileSync(join(REPO, 'charts/oos/files/alerts.yaml'), 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  return file.groups.flatMap((group) =>
    group.rules.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr })),
  );
}

interface Panel {
  readonly title: string;
  readonly targets?: readonly { readonly expr?: string; readonly refId?: string }[];
  readonly panels?: readonly Panel[];
}

function dashboardQueries(): Query[] {
  const dashboard = JSON.parse(
    readFileSync(join(REPO, 'charts/oos/files/dashboard.json'), 'utf8'),
  ) as { panels: Panel[] };
  const walk = (panels: readonly Panel[]): Query[] =>
    panels.flatMap((panel) => [
      ...(panel.targets ?? []).map((target) => ({
        where: `dashboard panel "${panel.title}" ${target.refId ?? ''}`,
        expr: target.expr ?? '',
      })),
      ...walk(panel.panels ?? []),
    ]);
  return walk(dashboard.panels);
}

/** What a query needs from /metrics: metric names, and the labels it selects or groups by. */
interface Needs {
  /** Names as written, e.g. `oos_admission_review_duration_seconds_bucket`. */
  readonly metrics: readonly string[];
  /** [metric as written, label] of every label matcher `metric{label=…}`. */
  readonly selected: readonly (readonly [string, string])[];
  /** Labels of `by (…)` clauses, except those the query makes itself with label_replace. */
  readonly grouped: readonly string[];
}

function needsOf(expr: string): Needs {
  const metrics = [...new Set(expr.match(/\boos_[a-zA-Z0-9_]+/g) ?? [])];
  const selected: [string, string][] = [];
  for (const selector of expr.matchAll(/\b(oos_[a-zA-Z0-9_]+)\s*\{([^}]*)\}/g)) {
    for (const matcher of (selector[2] ?? '').matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) {
      selected.push([selector[1] ?? '', matcher[1] ?? '']);
    }
  }
  // label_replace(v, "dst", "$1", "src", "regex"): dst is the query's own label.
  const made = new Set(
    [...expr.matchAll(/"([a-zA-Z_]\w*)"\s*,\s*"\$\d+"\s*,/g)].map((match) => match[1]),
  );
  const grouped = [...expr.matchAll(/\bby\s*\(([^)]*)\)/g)]
    .flatMap((clause) => (clause[1] ?? '').split(','))
    .map((label) => label.trim())
    .filter((label) => label !== '' && !made.has(label));
  return { metrics, selected, grouped };
}

const family = (name: string): string => name.replace(HISTOGRAM_SUFFIX, '');

const queries = [...alertQueries(), ...dashboardQueries()];

let operator: RunningOperator | undefined;
let receiver: Server | undefined;
let exposition: Exposition;

describe('the metric names of the alerts and the dashboard, against the real operator', () => {
  beforeAll(async () => {
    await installCrds();
    await kubectlOk(['delete', 'governancepolicy', '--all']);
    await kubectlOk(['apply', '-f', '-'], { stdin: setup });

    // A loopback escalation webhook, so the notification counters get their labelled series.
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200).end();
      });
    });
    receiver = server;
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no receiver port');

    operator = await startOperator([
      '--operator-user',
      ADMIN_USER,
      '--audit-interval',
      '5s',
      '--escalation-webhook-url',
      `http://127.0.0.1:${address.port}/escalations`,
    ]);
    await kubectlOk(['apply', '-f', '-'], { stdin: governance, ...ALICE });
    await kubectlOk(['apply', '-f', '-'], { stdin: unanchored, ...ALICE });

    // Every exported family the queries use has series, except those that need a rare event.
    const wanted = new Set(
      queries.flatMap((q) => needsOf(q.expr).metrics.map(family)).filter((m) => !RARE.has(m)),
    );
    const running = operator;
    exposition = await waitFor(
      'the operator to export every series the alerts and the dashboard use',
      async () => {
        const { status, body } = await running.get('/metrics');
        if (status !== 200) throw new Error(`GET /metrics answered ${status}`);
        const parsed = parseExposition(body);
        // A name without `# TYPE` is not waited for: the test below reports it.
        const missing = [...wanted].filter((m) => parsed.types.has(m) && !parsed.labels.has(m));
        if (!/^oos_unanchored_ai_workloads 1$/m.test(body)) missing.push('an unanchored workload');
        if (missing.length > 0) throw new Error(`no series yet for ${missing.join(', ')}`);
        return parsed;
      },
      { timeoutMs: 120_000, intervalMs: 1_000 },
    );
  });

  afterAll(async () => {
    await operator?.stop();
    const server = receiver;
    if (server !== undefined) {
      await new Promise<void>((closed) => {
        server.close(() => {
          closed();
        });
      });
    }
    await removeWebhooks();
    await kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--timeout=120s']);
    await kubectl(['delete', 'accountablerole', OWNER, VACANT, '--ignore-not-found']);
    for (const role of [OWNER, VACANT]) {
      // Events about a cluster-scoped role are written to the default namespace.
      await kubectl([
        'delete',
        'events',
        '-n',
        'default',
        '--field-selector',
        `involvedObject.name=${role}`,
        '--ignore-not-found',
      ]);
    }
    await kubectl(['delete', 'governancepolicy', 'default', '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', PEOPLE, '--ignore-not-found']);
  });

  it('finds the queries (the alerts and every dashboard panel)', () => {
    expect(queries.filter((q) => q.where.startsWith('alert ')).length).toBeGreaterThanOrEqual(8);
    expect(queries.filter((q) => q.where.startsWith('dashboard ')).length).toBeGreaterThanOrEqual(
      15,
    );
    for (const query of queries) expect(needsOf(query.expr).metrics, query.where).not.toEqual([]);
  });

  it('uses only metric names the operator exports (`# TYPE` in /metrics)', () => {
    const unknown: string[] = [];
    for (const query of queries) {
      for (const name of needsOf(query.expr).metrics) {
        if (exposition.types.has(name)) continue;
        // A histogram's series: <family>_bucket, _sum, _count.
        if (HISTOGRAM_SUFFIX.test(name) && exposition.types.get(family(name)) === 'histogram') {
          continue;
        }
        unknown.push(`${name} (${query.where})`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('selects and groups by labels the operator’s series carry', () => {
    const wrong: string[] = [];
    const carries = (metric: string, label: string): boolean | undefined => {
      const seen = exposition.labels.get(family(metric));
      if (seen === undefined) return RARE.has(family(metric)) ? undefined : false;
      return seen.has(label);
    };
    for (const query of queries) {
      const needs = needsOf(query.expr);
      for (const [metric, label] of needs.selected) {
        if (carries(metric, label) === false) wrong.push(`${metric}{${label}} (${query.where})`);
      }
      for (const label of needs.grouped) {
        const verdicts = needs.metrics.map((metric) => carries(metric, label));
        if (verdicts.every((verdict) => verdict === undefined)) continue;
        if (!verdicts.includes(true)) wrong.push(`by (${label}) (${query.where})`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
