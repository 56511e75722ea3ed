import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { toolPath } from '../../controlplane/tools.js';

const CHART_DIR = dirname(fileURLToPath(import.meta.url));
const REPO = join(CHART_DIR, '..', '..');
/** Repository-relative, as a person would type them (promtool resolves `rule_files` from the test file). */
const RULES = 'charts/oos/files/alerts.yaml';
const RULE_TESTS = 'charts/oos/files/alerts.test.yaml';
const DASHBOARD = 'charts/oos/files/dashboard.json';
const OPERATIONS = 'docs/operations.md';
/** Where the runbook links of files/alerts.yaml point; the PrometheusRule template rewrites it. */
const RUNBOOK_BASE = 'https://github.com/oos-dev/oos/blob/main/docs/operations.md';

interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}
interface RuleFile {
  readonly groups: readonly { readonly name: string; readonly rules: readonly Rule[] }[];
}
interface RuleTests {
  readonly rule_files: readonly string[];
  readonly tests: readonly {
    readonly name: string;
    readonly alert_rule_test?: readonly {
      readonly alertname: string;
      readonly exp_alerts?: readonly unknown[] | null;
    }[];
  }[];
}
interface Target {
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly expr?: string;
  readonly refId?: string;
}
interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly gridPos: {
    readonly h: number;
    readonly w: number;
    readonly x: number;
    readonly y: number;
  };
  readonly targets?: readonly Target[];
  readonly panels?: readonly Panel[];
}
interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly panels: readonly Panel[];
  readonly templating: {
    readonly list: readonly {
      readonly name: string;
      readonly type: string;
      readonly query?: string;
    }[];
  };
}

const read = (path: string): string => readFileSync(join(REPO, path), 'utf8');
const rules = parse(read(RULES)) as RuleFile;
const alerts = rules.groups.flatMap((group) => group.rules).filter((rule) => rule.alert);
const alertName = (rule: Rule): string => rule.alert ?? '';

/**
 * How long promtool may run: a Go program started while the unit suite runs in parallel on two
 * cores took over the default 5 s of a test once; the test waits as long as the process may run.
 */
const PROMTOOL_MS = 60_000;

/** Runs the cached promtool in the repository; fails naming `npm run controlplane:build` when it is not built. */
function promtool(args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      toolPath('promtool'),
      args,
      { cwd: REPO, encoding: 'utf8', timeout: PROMTOOL_MS },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`promtool could not run: ${error.message}`));
          return;
        }
        resolve({
          code: typeof error?.code === 'number' ? error.code : 0,
          output: stdout + stderr,
        });
      },
    );
  });
}

/** The `### ` headings of the `## Alerts` section of docs/operations.md. */
function runbookSections(): string[] {
  const text = read(OPERATIONS);
  const start = text.indexOf('\n## Alerts\n');
  expect(start, `${OPERATIONS} has an "## Alerts" section`).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + '\n## Alerts\n'.length);
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(/^### (.+)$/gm)].map((match) => (match[1] ?? '').trim());
}

describe('the alerting rules (charts/oos/files/alerts.yaml)', () => {
  it.each([
    ['`promtool check rules`', 'check', RULES],
    ['their unit tests, `promtool test rules` (alerts.test.yaml)', 'test', RULE_TESTS],
  ])(
    'pass %s',
    async (_, command, file) => {
      const { code, output } = await promtool([command, 'rules', file]);
      expect(output, output).toContain('SUCCESS');
      expect(code, output).toBe(0);
    },
    PROMTOOL_MS,
  );

  it('are alerts only, with unique names', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(8);
    expect(alerts).toHaveLength(rules.groups.flatMap((group) => group.rules).length);
    const names = alerts.map(alertName);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^Oos[A-Z][A-Za-z]+$/);
  });

  it.each(alerts.map((rule) => [alertName(rule), rule] as const))(
    '%s has a severity, a summary, a description and a runbook link into docs/operations.md',
    (name, rule) => {
      // A templated severity may only choose between the usual values.
      const severity = rule.labels?.severity ?? '';
      const words = severity
        .replace(/\{\{[^}]*\}\}/g, ' ')
        .split(/\s+/)
        .filter(Boolean);
      expect(words.length, `${name}: severity "${severity}"`).toBeGreaterThan(0);
      for (const word of words) expect(['critical', 'warning', 'info']).toContain(word);
      expect(rule.annotations?.summary?.trim()).toBeTruthy();
      expect(rule.annotations?.description?.trim()).toBeTruthy();
      // GitHub's anchor of a `### OosName` heading is the name in lower case.
      expect(rule.annotations?.runbook_url).toBe(`${RUNBOOK_BASE}#${name.toLowerCase()}`);
      expect(runbookSections()).toContain(name);
    },
  );

  it('have one runbook section per alert, and no section for an alert that does not exist', () => {
    expect(runbookSections().sort()).toEqual(alerts.map(alertName).sort());
  });

  it('are tested: for every alert, a case where it fires and one where it does not', () => {
    const tests = parse(read(RULE_TESTS)) as RuleTests;
    expect(tests.rule_files).toEqual(['alerts.yaml']);
    const cases = tests.tests.flatMap((test) => test.alert_rule_test ?? []);
    const names = alerts.map(alertName);
    for (const name of names) {
      const mine = cases.filter((c) => c.alertname === name);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length > 0),
        `${name} has a case where it fires`,
      ).toBe(true);
      expect(
        mine.some((c) => (c.exp_alerts ?? []).length === 0),
        `${name} has a case where it does not fire`,
      ).toBe(true);
    }
    for (const c of cases) expect(names, `a test of an unknown alert`).toContain(c.alertname);
  });

  it('are the groups of the chart’s PrometheusRule, whose runbook base the template rewrites', () => {
    const template = read('charts/oos/templates/prometheusrule.yaml');
    expect(template).toContain('.Files.Get "files/alerts.yaml"');
    expect(template).toContain(`replace "${RUNBOOK_BASE}#"`);
  });
});

describe('the Grafana dashboard (charts/oos/files/dashboard.json)', () => {
  const dashboard = JSON.parse(read(DASHBOARD)) as Dashboard;
  const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
  const graphs = panels.filter((panel) => panel.type !== 'row');

  it('is a current Grafana dashboard with a stable uid', () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.uid).toBe('oos-accountability');
    expect(dashboard.title).toBeTruthy();
    const ids = panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('reads every query from the ${datasource} variable, a Prometheus data source', () => {
    expect(dashboard.templating.list).toContainEqual(
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
    );
    expect(graphs.length).toBeGreaterThanOrEqual(10);
    for (const panel of graphs) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) {
        expect(target.datasource, panel.title).toEqual(panel.datasource);
        expect(target.expr, panel.title).toMatch(/oos_/);
        expect(target.refId, panel.title).toMatch(/^[A-Z]$/);
      }
    }
  });

  it('lays its panels out on the 24-column grid without overlaps', () => {
    const cells = new Set<string>();
    for (const panel of panels) {
      const { x, y, w, h } = panel.gridPos;
      expect(x + w, panel.title).toBeLessThanOrEqual(24);
      for (let row = y; row < y + h; row++) {
        for (let column = x; column < x + w; column++) {
          const cell = `${row}:${column}`;
          expect(cells.has(cell), `${panel.title} overlaps at ${cell}`).toBe(false);
          cells.add(cell);
        }
      }
    }
  });

  it('shows the accountability picture: workloads, escalations, delegations, roles, admission, interactions', () => {
    const queries = graphs.flatMap((panel) => (panel.targets ?? []).map((t) => t.expr ?? ''));
    for (const metric of [
      'oos_ai_workloads',
      'oos_unanchored_ai_workloads',
      'oos_escalations_open',
      'oos_delegations',
      'oos_accountable_roles_vacant',
      'oos_admission_reviews_total',
      'oos_admission_review_duration_seconds_bucket',
      'oos_governance_cache_synced',
      'oos_leader',
      'oos_interactions',
      'oos_network_policy_repairs_total',
    ]) {
      expect(
        queries.some((query) => new RegExp(`\\b${metric}\\b`).test(query)),
        metric,
      ).toBe(true);
    }
  });

  it('is what the chart’s ConfigMap carries', () => {
    const template = read('charts/oos/templates/dashboard-configmap.yaml');
    expect(template).toContain('.Files.Get "files/dashboard.json"');
    expect(template).toContain('"grafana_dashboard" "1"');
  });
});
