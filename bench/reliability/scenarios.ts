/**
 * The five reliability scenarios of issue 11, each run while the load generator (`load.ts`, a
 * process of its own) sends admission requests through the apiserver: what is done to the
 * system, what is measured, and the invariants checked. The bench (`main.ts`) prints the figures;
 * the e2e test (`e2e/node/reliability.e2e.ts`) asserts the checks. Same code, different rate.
 */
import { performance } from 'node:perf_hooks';
import { compactEtcd, restartApiserver } from '../../controlplane/disruptions.js';
import {
  bucketsDelta,
  calls,
  histogramQuantile,
  oosWebhookBuckets,
  type Buckets,
} from './apiserver-histogram.js';
import {
  anchoredCase,
  ESCALATION_NAMESPACE,
  escalationGovernance,
  freshCapability,
  LOAD_CASES,
  LOAD_NAMESPACE,
  LOADER_HEADERS,
} from './fixtures.js';
import { startLoad } from './generator.js';
import type { LoadRecord } from './load-types.js';
import type { NodeTarget } from './node-target.js';
import { summarize, type LoadSummary } from './summary.js';

export interface LoadOptions {
  /** Requests per second. */
  readonly rate: number;
  /** Kept HTTPS connections of the generator. */
  readonly connections: number;
  /** Load kept up after the disturbance is over, to see its after-effects. */
  readonly tailSeconds: number;
}

export interface Check {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ScenarioResult {
  readonly name: string;
  /** Every request outside the window excluded (while the apiserver itself was down). */
  readonly load: LoadSummary;
  /**
   * Requests sent while the apiserver was down (from its SIGTERM to its /readyz): not counted as
   * admission failures, but one oos would deny that was allowed (`failedOpen`) would be.
   */
  readonly whileApiserverDown?: {
    readonly requests: number;
    readonly failed: number;
    readonly failedOpen: number;
  };
  /** The apiserver's histogram of the oos webhooks over the scenario. */
  readonly apiserver: { readonly calls: number; readonly p99Ms: number; readonly reset: boolean };
  /** Measured times and counts, for the bench's table. */
  readonly figures: Readonly<Record<string, string>>;
  readonly checks: readonly Check[];
}

interface During {
  readonly figures: Record<string, string>;
  readonly checks: Check[];
  /**
   * Why failed admissions are expected here (a replica SIGKILLed: the apiserver's calls to its
   * address are refused until its endpoint is removed, and it does not retry a refused
   * connection); they are then reported as a figure, not checked.
   */
  readonly failuresExpected?: string;
  /** Records to leave out of the failure count, e.g. sent while the apiserver was down. */
  readonly down?: { readonly from: number; readonly to: number };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const MAX_LOAD_SECONDS = 600;

async function apiserverBuckets(target: NodeTarget): Promise<Buckets> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return oosWebhookBuckets(await target.client.request<string>('GET', '/metrics'));
    } catch (error) {
      if (attempt >= 20) throw error;
      await sleep(500);
    }
  }
}

/** Polls `probe` every `intervalMs` until it returns a value; throws after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${String(timeoutMs)} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}

/** ` (sent within N s)`: the span between the first and the last failed request. */
function failedWindow(records: readonly LoadRecord[]): string {
  const times = records.filter((r) => r.actual !== r.expected).map((r) => r.at);
  if (times.length < 2) return '';
  return ` (sent within ${seconds(Math.max(...times) - Math.min(...times))})`;
}

/** The scenario's figures and checks, with its failed admissions checked or, when expected, reported. */
function verdictOnFailures(
  summary: LoadSummary,
  outcome: During,
  counted: readonly LoadRecord[],
): { figures: Record<string, string>; checks: Check[] } {
  if (outcome.failuresExpected !== undefined) {
    return {
      figures: {
        ...outcome.figures,
        'failed admissions (expected)': `${String(summary.failed)}${failedWindow(counted)}: ${outcome.failuresExpected}`,
      },
      checks: outcome.checks,
    };
  }
  const kinds = summary.failures.slice(0, 3).map((f) => `${String(f.count)}× ${f.error}`);
  return {
    figures: outcome.figures,
    checks: [
      {
        what: 'no admission request failed',
        ok: summary.failed === 0,
        detail: `${String(summary.failed)} of ${String(summary.sent)} failed${kinds.length > 0 ? `: ${kinds.join('; ')}` : ''}`,
      },
      ...outcome.checks,
    ],
  };
}

/** Runs `during` while the load runs (from 2 s after it starts until `tailSeconds` after). */
async function underLoad(
  name: string,
  target: NodeTarget,
  options: LoadOptions,
  during: () => Promise<During>,
): Promise<ScenarioResult> {
  target.log(`scenario ${name}: load at ${String(options.rate)}/s`);
  const before = await apiserverBuckets(target);
  const load = startLoad({
    kubeconfig: target.kubeconfig,
    rate: options.rate,
    maxSeconds: MAX_LOAD_SECONDS,
    timeoutMs: 15_000,
    connections: options.connections,
    cases: LOAD_CASES,
    headers: LOADER_HEADERS,
  });
  let outcome: During;
  try {
    await load.started;
    await sleep(2_000);
    outcome = await during();
    await sleep(options.tailSeconds * 1000);
  } finally {
    await load.stop().catch(() => []);
  }
  const records = await load.finished;
  const after = await apiserverBuckets(target);
  const { delta, reset } = bucketsDelta(before, after);
  const { down } = outcome;
  const inDown = (r: LoadRecord): boolean =>
    down !== undefined && r.at >= down.from && r.at <= down.to;
  const summary = summarize(records, inDown);
  const downRecords = records.filter(inDown);
  const failedOpen = downRecords.filter(
    (r) => r.expected === 'denied' && r.actual === 'allowed',
  ).length;
  const verdict = verdictOnFailures(
    summary,
    outcome,
    records.filter((r) => !inDown(r)),
  );
  const result: ScenarioResult = {
    name,
    load: summary,
    ...(down === undefined
      ? {}
      : {
          whileApiserverDown: {
            requests: downRecords.length,
            failed: downRecords.filter((r) => r.actual !== r.expected).length,
            failedOpen,
          },
        }),
    apiserver: { calls: calls(delta), p99Ms: histogramQuantile(delta, 0.99) * 1000, reset },
    figures: verdict.figures,
    checks: [
      ...verdict.checks,
      ...(down === undefined
        ? []
        : [
            {
              what: 'nothing oos denies was allowed while the apiserver restarted',
              ok: failedOpen === 0,
              detail: `${String(failedOpen)} of ${String(downRecords.length)} sent meanwhile`,
            },
          ]),
    ],
  };
  target.log(
    `scenario ${name}: ${String(summary.sent)} sent, ${String(summary.failed)} failed, p50 ${summary.p50Ms.toFixed(1)} ms, p99 ${summary.p99Ms.toFixed(1)} ms; ${JSON.stringify(outcome.figures)}`,
  );
  return result;
}

/** 1. `kubectl rollout restart` of the operator's Deployment, waited for. */
export function rollingRestart(target: NodeTarget, options: LoadOptions): Promise<ScenarioResult> {
  return underLoad('rolling restart', target, options, async () => {
    const before = new Set((await target.replicas()).map((r) => r.pod));
    const started = performance.now();
    const deployment = `deployment/${target.release.fullname}`;
    await target.kubectl(['rollout', 'restart', deployment, '-n', target.namespace]);
    await target.kubectl([
      'rollout',
      'status',
      deployment,
      '-n',
      target.namespace,
      '--timeout=300s',
    ]);
    const took = performance.now() - started;
    const after = await target.replicas();
    return {
      figures: { 'rollout took': seconds(took) },
      checks: [
        {
          what: 'every replica was replaced and is Ready',
          ok: after.length >= 2 && after.every((r) => r.ready && !before.has(r.pod)),
          detail: after.map((r) => `${r.pod}${r.ready ? '' : ' (not Ready)'}`).join(', '),
        },
      ],
    };
  });
}

/**
 * 2. The serving certificate rotates: installed with a short `--serving-cert-validity`, the
 * replicas renew it when two thirds of it have passed; waits for the Secret's certificate to
 * change and for every replica to serve the new one.
 */
export function certificateRotation(
  target: NodeTarget,
  options: LoadOptions,
): Promise<ScenarioResult> {
  return underLoad('certificate rotation', target, options, async () => {
    const first = await target.storedSerial();
    const started = performance.now();
    const next = await until(
      'a new serving certificate in the Secret',
      async () => {
        const serial = await target.storedSerial();
        return serial === first ? undefined : serial;
      },
      240_000,
      500,
    );
    const rotatedAt = performance.now();
    const replicas = await target.replicas();
    const served = await until(
      'every replica to serve the new certificate',
      async () => {
        const serials = await Promise.all(replicas.map((r) => target.servedSerial(r.ip)));
        return serials.every((s) => s === next) ? serials : undefined;
      },
      60_000,
      250,
    );
    return {
      figures: {
        'until the Secret changed': seconds(rotatedAt - started),
        'until every replica served it': seconds(performance.now() - rotatedAt),
      },
      checks: [
        {
          what: 'the serving certificate rotated and every replica serves the new one',
          ok: next !== first && replicas.length >= 2 && served.every((serial) => serial === next),
          detail: `serial ${first} -> ${next} on ${replicas.map((r) => r.pod).join(', ')}`,
        },
      ],
    };
  });
}

interface EscalationItem {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { trigger: string; subject: { name: string } };
  status?: { notifiedRoles?: string[] };
}

/**
 * 3. The leader Pod's operator process is SIGKILLed while `count` roles fall vacant one after
 * the other (half before the kill, half after): each capability must get exactly one
 * AccountabilityVacant Escalation, notified, and another replica must take the Lease.
 */
export async function leaderKill(
  target: NodeTarget,
  options: LoadOptions & { readonly escalations: number },
): Promise<ScenarioResult> {
  const prefix = `rel-${Date.now().toString(36)}`;
  const count = options.escalations;
  // The objects first, so their creation does not compete with the load.
  await target.kubectl(['apply', '-f', '-'], {
    stdin: escalationGovernance(prefix, count, Date.now()),
  });
  // Wait until the controller has judged the capabilities (their status is written), so the
  // vacancies below are changes it must notice, not part of its first round.
  await until(
    'the capabilities judged',
    async () => {
      const list = await target.client.request<{
        items: { status?: { conditions?: unknown[] } }[];
      }>('GET', `/apis/oos.dev/v1alpha1/namespaces/${ESCALATION_NAMESPACE}/capabilities`);
      const judged = list.items.filter((c) => (c.status?.conditions ?? []).length > 0);
      return judged.length >= count ? true : undefined;
    },
    180_000,
    500,
  );
  return underLoad('leader killed mid-escalation', target, options, async () => {
    const holder = await until('a leader', () => target.leaseHolder(), 60_000);
    const pod = holder.slice(0, holder.lastIndexOf('_'));
    const victim = (await target.replicas()).find((r) => r.pod === pod);
    if (victim === undefined) throw new Error(`the leader ${holder} is no replica of oos`);
    let killedAt = 0;
    let killed: number[] = [];
    for (let i = 0; i < count; i += 1) {
      if (i === Math.floor(count / 2)) {
        killed = target.killPod(victim.uid);
        killedAt = performance.now();
        target.log(`killed ${pod} (pids ${killed.join(', ')}) holding the Lease as ${holder}`);
      }
      // As a person would: again when the webhook call failed (a replica just died).
      await until(
        `role ${String(i)} vacated`,
        async () => {
          await target.client.request(
            'PATCH',
            `/apis/oos.dev/v1alpha1/accountableroles/${prefix}-${String(i)}`,
            {
              spec: { holders: [] },
            },
          );
          return true;
        },
        60_000,
        200,
      );
      await sleep(100);
    }
    const next = await until(
      'a new leader',
      async () => {
        const h = await target.leaseHolder();
        return h !== undefined && h !== holder ? h : undefined;
      },
      120_000,
      100,
    );
    const takeover = performance.now() - killedAt;
    const escalations = await until(
      'an escalation per vacant role, notified',
      async () => {
        const list = await target.client.request<{ items: EscalationItem[] }>(
          'GET',
          `/apis/oos.dev/v1alpha1/namespaces/${ESCALATION_NAMESPACE}/escalations`,
        );
        const ours = list.items.filter((e) => e.spec.subject.name.startsWith(`${prefix}-`));
        const notified = ours.filter((e) => (e.status?.notifiedRoles ?? []).length > 0);
        return notified.length >= count ? ours : undefined;
      },
      180_000,
      500,
    );
    const done = performance.now();
    const bySubject = new Map<string, number>();
    for (const e of escalations)
      bySubject.set(e.spec.subject.name, (bySubject.get(e.spec.subject.name) ?? 0) + 1);
    const missing = Array.from({ length: count }, (_, i) => `${prefix}-${String(i)}`).filter(
      (n) => !bySubject.has(n),
    );
    const duplicated = [...bySubject].filter(([, n]) => n > 1).map(([s]) => s);
    await target.kubectl(['delete', 'namespace', ESCALATION_NAMESPACE, '--wait=false']);
    await target.kubectl([
      'delete',
      'accountablerole',
      ...Array.from({ length: count }, (_, i) => `${prefix}-${String(i)}`),
      '--wait=false',
    ]);
    return {
      failuresExpected:
        'the killed replica refuses connections until its endpoint is removed, and the apiserver does not retry a refused webhook call',
      figures: {
        'new leader after the kill': seconds(takeover),
        'every escalation open and notified after the kill': seconds(done - killedAt),
        escalations: `${String(escalations.length)} for ${String(count)} vacant roles`,
      },
      checks: [
        {
          what: 'the killed process was found',
          ok: killed.length > 0,
          detail: `pids ${killed.join(', ')}`,
        },
        {
          what: 'another holder took the Lease',
          ok: next !== holder,
          detail: `${holder} -> ${next}`,
        },
        {
          what: 'no escalation lost or duplicated',
          ok: missing.length === 0 && duplicated.length === 0 && escalations.length === count,
          detail: `${String(escalations.length)} escalations; missing ${missing.join(', ') || 'none'}; duplicated ${duplicated.join(', ') || 'none'}`,
        },
      ],
    };
  });
}

/** The sum of a metric's samples whose labels contain `filter`. */
export function metricSum(text: string, name: string, filter = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (filter !== '' && !line.includes(filter)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function replicaMetricSums(
  target: NodeTarget,
  name: string,
  filter = '',
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const r of await target.replicas()) {
    out.set(r.pod, metricSum(await target.metrics(r.pod), name, filter));
  }
  return out;
}

/** How many dry-run Pods in a row must be allowed before a change counts as in admission. */
const ADMITTED_IN_A_ROW = 10;

/**
 * A Capability created now must reach admission: dry-run Pods anchored to it are allowed ten
 * times in a row (the Service spreads them over the replicas). Returns when, in ms.
 */
async function createAndSeeAdmitted(
  target: NodeTarget,
  name: string,
): Promise<{ readonly at: number; readonly allowedInARow: number }> {
  await until(
    `Capability ${name} created`,
    async () => {
      await target.kubectl(['apply', '-f', '-'], { stdin: freshCapability(name) });
      return true;
    },
    60_000,
    500,
  );
  const probe = anchoredCase(name);
  let streak = 0;
  await until(
    `admission to allow Pods anchored to ${name}`,
    async () => {
      try {
        await target.client.request('POST', probe.path, probe.body, { ...LOADER_HEADERS });
        streak += 1;
      } catch {
        streak = 0;
      }
      return streak >= ADMITTED_IN_A_ROW ? true : undefined;
    },
    120_000,
    50,
  );
  return { at: performance.now(), allowedInARow: streak };
}

/** The controller wrote the capability's status (a Ready condition for its generation). */
/** Whether the controller writes the Capability's status (Ready, current generation) within a minute. */
async function statusWritten(target: NodeTarget, name: string): Promise<boolean> {
  const written = async (): Promise<boolean> => {
    const c = await target.client.request<{
      metadata: { generation?: number };
      status?: { observedGeneration?: number; conditions?: { type: string }[] };
    }>('GET', `/apis/oos.dev/v1alpha1/namespaces/${LOAD_NAMESPACE}/capabilities/${name}`);
    return (
      (c.status?.conditions ?? []).some((x) => x.type === 'Ready') &&
      (c.status?.observedGeneration ?? 0) >= (c.metadata.generation ?? 1)
    );
  };
  return until(
    'its status written',
    async () => ((await written()) ? true : undefined),
    60_000,
    500,
  )
    .then(() => true)
    .catch(() => false);
}

/**
 * 4. kube-apiserver restarts in place. Measured: from its /readyz until a Capability created
 * right then is reflected in admission (every informer watching again and caught up); checked:
 * no replica still counts its governance stale, no decision on stale governance went unsaid
 * (the generator records oos's stale warning), and the change is in admission and status.
 */
export function apiserverRestart(
  target: NodeTarget,
  options: LoadOptions,
): Promise<ScenarioResult> {
  return underLoad('kube-apiserver restart', target, options, async () => {
    const gone = await replicaMetricSums(target, 'oos_watch_restarts_total');
    const restarted = await restartApiserver(target.clusterDir);
    const readyAt = performance.now();
    const name = `rel-after-restart-${Date.now().toString(36)}`;
    const seen = await createAndSeeAdmitted(target, name);
    const status = await statusWritten(target, name);
    // Every informer of every replica resumes within its longest retry wait after /readyz.
    let stale = new Map<string, number>();
    const current = await until(
      'every replica to watch again',
      async () => {
        stale = await replicaMetricSums(target, 'oos_governance_staleness_seconds');
        return [...stale.values()].every((s) => s === 0) ? performance.now() : undefined;
      },
      60_000,
      500,
    ).catch(() => undefined);
    const after = await replicaMetricSums(target, 'oos_watch_restarts_total');
    return {
      down: { from: restarted.stoppingAt, to: restarted.readyAt },
      figures: {
        'apiserver down (SIGTERM to /readyz)': seconds(restarted.readyAt - restarted.stoppingAt),
        'change in admission after /readyz': seconds(seen.at - readyAt),
        'every watch resumed after /readyz':
          current === undefined ? 'not within 60 s' : seconds(current - readyAt),
        'watch restarts per replica': [...after]
          .map(([pod, n]) => `${pod}: +${String(n - (gone.get(pod) ?? 0))}`)
          .join(', '),
      },
      checks: [
        {
          what: 'a change made after the restart reached admission',
          ok: seen.allowedInARow >= ADMITTED_IN_A_ROW,
          detail: `${name}: allowed ${String(seen.allowedInARow)} times in a row`,
        },
        { what: 'and its status was written', ok: status, detail: name },
        {
          what: 'every replica watches again (staleness 0)',
          ok: current !== undefined,
          detail: [...stale].map(([pod, s]) => `${pod}: ${String(s)} s`).join(', '),
        },
        {
          what: 'every replica restarted its watches',
          ok: [...after].every(([pod, n]) => n > (gone.get(pod) ?? 0)),
          detail: [...after]
            .map(([pod, n]) => `${pod}: ${String(n - (gone.get(pod) ?? 0))}`)
            .join(', '),
        },
      ],
    };
  });
}

/**
 * 5. etcd compacted at its current revision, a Capability created, then kube-apiserver
 * restarted so every watch resumes from a compacted revision: each informer gets 410 Gone and
 * relists. Checked: every replica counted `gone` restarts, the Capability made between the
 * compaction and the restart and one made after both reach admission, and the latter's status
 * is written.
 */
export function etcdCompaction(target: NodeTarget, options: LoadOptions): Promise<ScenarioResult> {
  return underLoad('etcd compaction (410 Gone)', target, options, async () => {
    const gone = await replicaMetricSums(target, 'oos_watch_restarts_total', 'cause="gone"');
    const compacted = await compactEtcd(target.clusterDir);
    const between = `rel-compacted-${Date.now().toString(36)}`;
    await target.kubectl(['apply', '-f', '-'], { stdin: freshCapability(between) });
    const restarted = await restartApiserver(target.clusterDir);
    const readyAt = performance.now();
    const name = `rel-after-compaction-${Date.now().toString(36)}`;
    const seen = await createAndSeeAdmitted(target, name);
    const seenBetween = await createAndSeeAdmitted(target, between);
    const status = await statusWritten(target, name);
    const after = await replicaMetricSums(target, 'oos_watch_restarts_total', 'cause="gone"');
    return {
      down: { from: restarted.stoppingAt, to: restarted.readyAt },
      figures: {
        'compacted at revision': String(compacted.revision),
        'apiserver down (SIGTERM to /readyz)': seconds(restarted.readyAt - restarted.stoppingAt),
        'change in admission after /readyz': seconds(seen.at - readyAt),
        '410 Gone relists per replica': [...after]
          .map(([pod, n]) => `${pod}: +${String(n - (gone.get(pod) ?? 0))}`)
          .join(', '),
      },
      checks: [
        {
          what: 'every replica got 410 Gone and relisted',
          ok: [...after].every(([pod, n]) => n > (gone.get(pod) ?? 0)),
          detail: [...after]
            .map(([pod, n]) => `${pod}: ${String(n - (gone.get(pod) ?? 0))}`)
            .join(', '),
        },
        {
          what: 'changes made between compaction and restart, and after, reached admission',
          ok: Math.min(seen.allowedInARow, seenBetween.allowedInARow) >= ADMITTED_IN_A_ROW,
          detail: `${between}, ${name}: each allowed ${String(ADMITTED_IN_A_ROW)} times in a row`,
        },
        { what: 'and the status of the later one was written', ok: status, detail: name },
      ],
    };
  });
}
