/**
 * The controller at scale, on the local control plane (loopback only): creates 1,000 roles, 5,000
 * capabilities, 10,000 delegations and 20,000 AI Pods in 100 namespaces (or a half, a quarter:
 * `--size`), starts the operator as `npm start` would, and measures
 * - the time from the operator's start to every status written (statuses are cleared first);
 * - a round after one Delegation is revoked and after one Capability is suspended (the time until
 *   the object's status says so, and the operator's own round histogram);
 * - admission through the apiserver: dry-run Pod creates at `--rate` per second for `--seconds`,
 *   client p50/p99 and the apiserver's `apiserver_admission_webhook_admission_duration_seconds`
 *   (share of the oos webhook calls within its 25 ms bucket), with the controller idle and while a
 *   capability changes ten times a second (a round each time: its `spec.description`, or with
 *   `--change annotation` an annotation, which plans nothing but that object's status again, or
 *   with `--change delegation` a Delegation's `spec.validUntil`, shortened by a second);
 * - the operator's heap and RSS, and its peak RSS (the kernel's high-water mark);
 * - admission's event loop in each load: its delay's p99 and maximum, and its collections over
 *   10 ms (the operator's own `oos_process_nodejs_*` metrics), which tell a slow call of oos's
 *   thread from one of the apiserver's;
 * - with `--capture`, oos's side of each call as the kernel sees it on loopback (`tcpdump`: a
 *   request's last segment in to the answer's first out, `controller-scale/capture.ts`), which
 *   holds none of the apiserver's own time that its histogram holds.
 * Objects of a size are reused by the next (sizes run from small to large). Prints Markdown.
 * `--operator-cpus` gives the operator CPUs of its own, and the control plane and the load the rest.
 *
 *   npm run bench:controller -- [--size quarter|half|full ...] [--seconds 20] [--rate 50]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startControlPlane } from '../controlplane/controlplane.js';
import { spawnOperator, type OperatorProcess } from '../controlplane/operator.js';
import { ApiError, BenchClient, pool } from './controller-scale/client.js';
import {
  CAPABILITIES_PER_NAMESPACE,
  DELEGATIONS_PER_CAPABILITY,
  namespaceCreations,
  namespaceName,
  namespaceObjects,
  pod,
  podCreations,
  ROLES_PER_NAMESPACE,
  SIZES,
  type Creation,
  type Size,
} from './controller-scale/objects.js';
import { splitCpus } from './controller-scale/cpus.js';
import { quantile } from './reliability/summary.js';
import {
  startCapture,
  summarizeExchanges,
  type Capture,
  type ExchangeSummary,
} from './controller-scale/capture.js';

const HELP = `Usage: npm run bench:controller -- [options]
  --size <quarter|half|full>  a size to measure (repeatable; default all three, small to large)
  --seconds <n>               length of each admission load phase (default 20)
  --rate <n>                  dry-run Pod creates per second (default 50)
  --change <spec|annotation|delegation>
                              what changes ten times a second while admission is measured busy:
                              a capability's spec.description (default; its namespace is planned
                              again), its annotation (no rule reads one), or a Delegation's
                              validUntil, shortened by a second (anyone may shorten one)
  --concurrency <n>           parallel creates while filling the cluster (default 32)
  --operator-arg <flag>       a further flag of the operator, e.g. --controller-heap=384 (repeatable)
  --node-option <flag>        a flag of Node.js for the operator, e.g. --max-old-space-size=192
                              (repeatable; V8's flags hold for every thread: a heap limit given
                              here is the controller thread's too, whatever --controller-heap says)
  --operator-cpus <list>      run the operator on these CPUs alone (taskset -c, e.g. 1) and the
                              control plane, the load and this bench on the others: the operator
                              as on a node of its own, not sharing its cores with the apiserver
  --capture                   time oos's side of each call at the socket with tcpdump (root; the
                              Debian package tcpdump): a request's last segment in to the
                              answer's first out, beside the apiserver's histogram
  --compiled                  run the operator from dist/ (built first with npm run build) as
                              the image does, with the Dockerfile's ENTRYPOINT and its Node.js
                              flags, rather than from source through tsx
  --help                      this text`;

const { values } = parseArgs({
  options: {
    size: { type: 'string', multiple: true },
    seconds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '50' },
    change: { type: 'string', default: 'spec' },
    concurrency: { type: 'string', default: '32' },
    'operator-arg': { type: 'string', multiple: true },
    'node-option': { type: 'string', multiple: true },
    'operator-cpus': { type: 'string' },
    compiled: { type: 'boolean', default: false },
    capture: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const sizes = (values.size ?? ['quarter', 'half', 'full']).map((s) => {
  if (!(s in SIZES)) throw new Error(`--size ${s}: expected quarter, half or full`);
  return s as Size;
});
sizes.sort((a, b) => SIZES[a] - SIZES[b]);
/** What the busy phase can change (`--change`), as the tables name it. */
const CHANGED: Record<string, string> = {
  spec: "a capability's spec",
  annotation: "a capability's annotation",
  delegation: "a Delegation's validUntil",
};
const changed = Object.hasOwn(CHANGED, values.change) ? CHANGED[values.change] : undefined;
if (changed === undefined) {
  throw new Error(`--change ${values.change}: expected ${Object.keys(CHANGED).join(', ')}`);
}
/** The patch of the busy phase's tick. */
const changeAt = (tick: number): Record<string, unknown> =>
  values.change === 'spec'
    ? { spec: { description: `Changed by the benchmark (tick ${String(tick)}).` } }
    : { metadata: { annotations: { 'bench.oos.dev/tick': String(tick) } } };
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const CONCURRENCY = Number(values.concurrency);
const OPERATOR_NAMESPACE = 'oos-system';
const ADMIN_USER = 'oos-admin';
const OOS = '/apis/oos.dev/v1alpha1';

const log = (line: string): void => {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${line}\n`);
};

if (values.compiled) {
  const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed: --compiled runs dist/');
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The sum of a Prometheus metric's samples whose labels contain every `filter` pair. */
function metric(text: string, name: string, filter: Record<string, string | RegExp> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!rest.startsWith('{') && !rest.startsWith(' ')) continue;
    const labels: Record<string, string> = {};
    const close = rest.indexOf('}');
    if (rest.startsWith('{')) {
      for (const m of rest.slice(1, close).matchAll(/(\w+)="([^"]*)"/g)) {
        labels[m[1] ?? ''] = m[2] ?? '';
      }
    }
    const ok = Object.entries(filter).every(([k, v]) =>
      typeof v === 'string' ? labels[k] === v : v.test(labels[k] ?? ''),
    );
    if (ok) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 1 : 0)} ms` : 'n/a');
const mib = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MiB`;

async function create(client: BenchClient, items: readonly Creation[]): Promise<number> {
  let failed = 0;
  await pool(items, CONCURRENCY, async ({ path, body }) => {
    try {
      await client.request('POST', path, body);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) return;
      failed += 1;
      if (failed <= 3) log(`create ${path} failed: ${String(error)}`);
    }
  });
  return failed;
}

interface StatusTarget {
  readonly path: string;
}

/** Every object whose status the controller writes, in the first `namespaces` namespaces. */
function statusTargets(namespaces: number): StatusTarget[] {
  const out: StatusTarget[] = [];
  for (let n = 0; n < namespaces; n += 1) {
    for (const { path, body } of namespaceObjects(n, Date.now())) {
      const name = (body.metadata as { name: string }).name;
      out.push({ path: `${path}/${name}` });
    }
  }
  return out;
}

/** The webhook calls to oos the apiserver counted, and how many within 25 ms. */
async function webhookHistogram(client: BenchClient): Promise<{ count: number; fast: number }> {
  const text = await client.request<string>('GET', '/metrics');
  const name = /oos\.dev$/;
  return {
    count: metric(text, 'apiserver_admission_webhook_admission_duration_seconds_count', { name }),
    fast: metric(text, 'apiserver_admission_webhook_admission_duration_seconds_bucket', {
      name,
      le: '0.025',
    }),
  };
}

interface Load {
  readonly p50: number;
  readonly p99: number;
  readonly sent: number;
  readonly errors: number;
  readonly within25: number;
  readonly webhookCalls: number;
  readonly answers: Record<string, number>;
}

/** Dry-run creates of an anchored AI Pod as its ServiceAccount, open loop at `RATE` per second. */
async function admissionLoad(client: BenchClient, during?: () => Promise<void>): Promise<Load> {
  const before = await webhookHistogram(client);
  const latencies: number[] = [];
  const answers: Record<string, number> = {};
  let errors = 0;
  const namespace = namespaceName(0);
  const headers = {
    'Impersonate-User': `system:serviceaccount:${namespace}:sa-0`,
    'Impersonate-Group': [
      'system:serviceaccounts',
      `system:serviceaccounts:${namespace}`,
      'system:authenticated',
    ],
  };
  const body = pod(0, 0, 'probe');
  const pending: Promise<void>[] = [];
  const started = performance.now();
  const total = Math.round(SECONDS * RATE);
  const state = { stop: false };
  const side =
    during === undefined
      ? Promise.resolve()
      : (async () => {
          while (!state.stop) await during();
        })();
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const t = performance.now();
    pending.push(
      client
        .request('POST', `/api/v1/namespaces/${namespace}/pods?dryRun=All`, body, headers)
        .then(
          () => {
            answers.allowed = (answers.allowed ?? 0) + 1;
          },
          (error: unknown) => {
            const key = error instanceof ApiError ? `HTTP ${String(error.status)}` : 'error';
            answers[key] = (answers[key] ?? 0) + 1;
            if (!(error instanceof ApiError)) errors += 1;
          },
        )
        .finally(() => latencies.push(performance.now() - t)),
    );
  }
  await Promise.all(pending);
  state.stop = true;
  await side;
  const after = await webhookHistogram(client);
  latencies.sort((a, b) => a - b);
  const calls = after.count - before.count;
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    sent: total,
    errors,
    within25: calls === 0 ? NaN : (after.fast - before.fast) / calls,
    webhookCalls: calls,
    answers,
  };
}

interface OperatorStats {
  readonly rounds: number;
  readonly roundSeconds: number;
  readonly busySeconds: number;
  readonly statusWrites: number;
  readonly queue: number;
  readonly rss: number;
  /** The admission thread's heap. */
  readonly heap: number;
  /** The controller thread's heap. */
  readonly controllerHeap: number;
  /** The largest RSS since the operator started (the kernel's `VmHWM`), sampled or not. */
  readonly peakRss: number;
  /**
   * Admission's event-loop delay since the previous scrape, in seconds: its p99 and maximum
   * (prom-client's monitor starts again at each scrape of `/metrics`; it times a 10 ms timer,
   * so 10 ms is no delay and 28 ms is 18 ms of it).
   */
  readonly loopP99: number;
  readonly loopMax: number;
  /** Admission's garbage collections that took over 10 ms, since the start. */
  readonly longGcs: number;
}

/** The operator process's peak resident set so far, in bytes (`/proc/<pid>/status`, `VmHWM`). */
function peakRss(pid: number): number {
  const line = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${String(pid)}/status`, 'utf8'));
  return line ? Number(line[1]) * 1024 : Number.NaN;
}

/**
 * The operator's counters now. A restarted controller thread starts its counters again, so a
 * wait for them would never end: the measurement is stopped with why instead.
 */
async function operatorStats(operator: OperatorProcess): Promise<OperatorStats> {
  const { body } = await operator.get('/metrics');
  if (metric(body, 'oos_controller_thread_restarts_total') > 0) {
    const reasons = body
      .split('\n')
      .filter((line) => line.startsWith('oos_controller_thread_restarts_total'));
    throw new Error(
      `the controller thread restarted, so its counters started again (${reasons.join('; ')}); if it ran out of heap, give it more with --operator-arg=--controller-heap=<MiB>`,
    );
  }
  return {
    rounds: metric(body, 'oos_controller_round_duration_seconds_count'),
    roundSeconds: metric(body, 'oos_controller_round_duration_seconds_sum'),
    busySeconds: metric(body, 'oos_controller_round_busy_seconds_sum'),
    statusWrites: metric(body, 'oos_status_writes_total', {
      kind: /^(AccountableRole|Capability|Delegation)$/,
    }),
    queue: metric(body, 'oos_controller_queue_length'),
    rss: metric(body, 'oos_process_process_resident_memory_bytes'),
    heap: metric(body, 'oos_process_nodejs_heap_size_used_bytes'),
    controllerHeap: metric(body, 'oos_controller_heap_bytes', { space: 'used' }),
    peakRss: peakRss(operator.pid),
    loopP99: metric(body, 'oos_process_nodejs_eventloop_lag_p99_seconds'),
    loopMax: metric(body, 'oos_process_nodejs_eventloop_lag_max_seconds'),
    longGcs:
      metric(body, 'oos_process_nodejs_gc_duration_seconds_count') -
      metric(body, 'oos_process_nodejs_gc_duration_seconds_bucket', { le: '0.01' }),
  };
}

/** Waits until the operator's queue is empty after at least one more round than `before`. */
async function settled(operator: OperatorProcess, before: OperatorStats): Promise<OperatorStats> {
  for (;;) {
    const now = await operatorStats(operator);
    if (now.rounds > before.rounds && now.queue === 0) return now;
    await sleep(200);
  }
}

/** Patches an object and waits until its status satisfies `done`; returns the milliseconds. */
async function changeAndWait(
  client: BenchClient,
  path: string,
  patch: unknown,
  done: (object: { status?: Record<string, unknown> }) => boolean,
): Promise<number> {
  const started = performance.now();
  await client.request('PATCH', path, patch);
  for (;;) {
    const object = await client.request<{ status?: Record<string, unknown> }>('GET', path);
    if (done(object)) return performance.now() - started;
    await sleep(20);
  }
}

const conditionTrue = (type: string) => (object: { status?: Record<string, unknown> }) =>
  ((object.status?.conditions ?? []) as { type: string; status: string }[]).some(
    (c) => c.type === type && c.status === 'True',
  );

interface Row {
  size: Size;
  objects: string;
  createSeconds: number;
  convergeSeconds: number;
  firstRound: string;
  delegationMs: number;
  delegationRound: string;
  suspendMs: number;
  suspendRound: string;
  idle: Load;
  busy: Load;
  busyRounds: string;
  rssConverged: number;
  /** The peak RSS until every status was written, and until the end. */
  peakConverged: number;
  peakEnd: number;
  heapConverged: string;
  /** After the idle admission load. */
  rssIdle: number;
  rssAfter: number;
  heapAfter: string;
  /** Admission's event loop in the idle and the busy load ({@link loopText}). */
  idleLoop: string;
  busyLoop: string;
  /** oos's side of the calls in each load, with `--capture`. */
  idleSide: ExchangeSummary | undefined;
  busySide: ExchangeSummary | undefined;
}

/** The two threads' heaps: admission + controller. */
const heaps = (s: OperatorStats): string => `${mib(s.heap)} + ${mib(s.controllerHeap)}`;

/** Admission's event loop from `a` to `b`: its delay's p99 and maximum, and its long GCs. */
const loopText = (a: OperatorStats, b: OperatorStats): string =>
  `${ms(b.loopP99 * 1000)} / ${ms(b.loopMax * 1000)}, ${String(b.longGcs - a.longGcs)}`;

const roundText = (a: OperatorStats, b: OperatorStats): string => {
  const n = b.rounds - a.rounds;
  return n <= 0
    ? 'n/a'
    : `${ms(((b.roundSeconds - a.roundSeconds) / n) * 1000)} (busy ${ms(((b.busySeconds - a.busySeconds) / n) * 1000)}, ${String(n)} round${n === 1 ? '' : 's'})`;
};

/** `--operator-cpus`, checked: the operator's CPUs and the others, as `taskset -c` lists. */
const split =
  values['operator-cpus'] === undefined
    ? undefined
    : splitCpus(values['operator-cpus'], cpus().length);
const operatorCpus = split?.operator.join(',');

/**
 * With `--operator-cpus`, moves this process (every thread of it, and so what it starts: the
 * control plane) to the CPUs the operator does not get.
 */
function leaveOperatorCpus(): void {
  if (split === undefined) return;
  const others = split.others.join(',');
  const moved = spawnSync('taskset', ['-a', '-p', '-c', others, String(process.pid)], {
    encoding: 'utf8',
  });
  if (moved.status !== 0) throw new Error(`taskset: ${moved.stderr}`);
  log(`the operator runs on CPU ${String(operatorCpus)} alone, the rest on ${others}`);
}

async function main(): Promise<void> {
  leaveOperatorCpus();
  const plane = await startControlPlane({ log });
  const kubectl = (args: string[]): void => {
    const result = spawnSync(plane.binaries.kubectl, ['--kubeconfig', plane.kubeconfig, ...args], {
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
  };
  const client = BenchClient.fromFile(plane.kubeconfig);
  const rows: Row[] = [];
  let operator: OperatorProcess | undefined;
  let capture: Capture | undefined;
  try {
    kubectl(['apply', '--server-side', '-f', 'crds/']);
    kubectl(['wait', '--for', 'condition=Established', '--timeout=60s', 'crd', '--all']);
    kubectl(['create', 'namespace', OPERATOR_NAMESPACE]);
    kubectl([
      'create',
      'clusterrolebinding',
      'bench-sa-admin',
      '--clusterrole=cluster-admin',
      '--group=system:serviceaccounts',
    ]);
    let filled = 0;
    for (const [index, size] of sizes.entries()) {
      const namespaces = SIZES[size];
      const t = performance.now();
      const fresh = Array.from({ length: namespaces - filled }, (_, i) => filled + i);
      const now = Date.now();
      // In order: namespaces, their ServiceAccounts, the governance, then the Pods that need it.
      const setup = fresh.flatMap((n) => namespaceCreations(n));
      const isNamespace = (c: Creation): boolean => c.path === '/api/v1/namespaces';
      let failed = 0;
      for (const batch of [
        setup.filter(isNamespace),
        setup.filter((c) => !isNamespace(c)),
        fresh.flatMap((n) => namespaceObjects(n, now)),
        fresh.flatMap((n) => podCreations(n)),
      ]) {
        failed += await create(client, batch);
      }
      const createSeconds = (performance.now() - t) / 1000;
      log(
        `${size}: ${String(fresh.length)} namespaces filled in ${createSeconds.toFixed(0)} s (${String(failed)} failed)`,
      );
      filled = namespaces;

      const targets = statusTargets(namespaces);
      await pool(targets, CONCURRENCY, async ({ path }) => {
        await client.request('PATCH', `${path}/status`, { status: null }).catch(() => undefined);
      });
      log(`${size}: ${String(targets.length)} statuses cleared`);

      const started = performance.now();
      operator = await spawnOperator({
        kubeconfig: plane.kubeconfig,
        namespace: OPERATOR_NAMESPACE,
        args: ['--operator-user', ADMIN_USER, ...(values['operator-arg'] ?? [])],
        nodeOptions: values['node-option'] ?? [],
        compiled: values.compiled,
        ...(operatorCpus === undefined ? {} : { cpus: operatorCpus }),
      });
      const running = operator;
      if (values.capture) capture = await startCapture(running.port);
      let converged: OperatorStats;
      for (;;) {
        const ready = await running.get('/readyz').catch(() => undefined);
        if (ready?.status === 200) {
          converged = await operatorStats(running);
          if (
            converged.rounds > 0 &&
            converged.queue === 0 &&
            converged.statusWrites >= targets.length
          )
            break;
        }
        if (Math.round(performance.now() - started) % 10_000 < 500) {
          const stats = await operatorStats(running).catch(() => undefined);
          log(
            `${size}: ${String(stats?.statusWrites ?? 0)} of ${String(targets.length)} statuses written, ${String(stats?.rounds ?? 0)} rounds, queue ${String(stats?.queue ?? 0)}`,
          );
        }
        if (running.hasExited())
          throw new Error(`the operator exited: ${running.logs().slice(-2000)}`);
        await sleep(500);
      }
      const convergeSeconds = (performance.now() - started) / 1000;
      let missing = 0;
      await pool(targets, CONCURRENCY, async ({ path }) => {
        const object = await client.request<{ status?: { conditions?: unknown[] } }>('GET', path);
        if ((object.status?.conditions ?? []).length === 0) missing += 1;
      });
      log(
        `${size}: every status written ${convergeSeconds.toFixed(1)} s after the start (${String(missing)} missing)`,
      );
      const firstRound = `${ms((converged.roundSeconds / converged.rounds) * 1000)} (busy ${ms((converged.busySeconds / converged.rounds) * 1000)}, ${String(converged.rounds)} rounds)`;

      const beforeIdle = await operatorStats(running);
      const idleFrom = Date.now() / 1000;
      const idle = await admissionLoad(client);
      const idleTo = Date.now() / 1000;
      const afterIdle = await operatorStats(running);
      log(
        `${size}: idle admission p50 ${ms(idle.p50)} p99 ${ms(idle.p99)}, ${(idle.within25 * 100).toFixed(2)}% within 25 ms`,
      );

      const c = index % CAPABILITIES_PER_NAMESPACE;
      let before = await operatorStats(running);
      const delegationMs = await changeAndWait(
        client,
        `${OOS}/namespaces/${namespaceName(namespaces - 1)}/delegations/cap-${String(c)}-sa-0`,
        { spec: { revoked: true } },
        (o) => o.status?.state === 'Revoked',
      );
      let after = await settled(running, before);
      const delegationRound = roundText(before, after);
      before = after;
      const suspendMs = await changeAndWait(
        client,
        `${OOS}/namespaces/${namespaceName(namespaces - 1)}/capabilities/cap-${String(c + 1)}`,
        { spec: { suspend: true, suspendReason: 'benchmark' } },
        conditionTrue('Suspended'),
      );
      after = await settled(running, before);
      const suspendRound = roundText(before, after);
      log(
        `${size}: delegation ${ms(delegationMs)} (${delegationRound}), suspend ${ms(suspendMs)} (${suspendRound})`,
      );

      const beforeBusy = await operatorStats(running);
      let tick = 0;
      const busyFrom = Date.now() / 1000;
      const busy = await admissionLoad(client, async () => {
        tick += 1;
        const capability = `cap-${String(20 + (tick % 20))}`;
        const namespace = `${OOS}/namespaces/${namespaceName(tick % namespaces)}`;
        if (values.change === 'delegation') {
          // Shortened from what it holds now: a later validUntil would be a grant, refused.
          const target = `${namespace}/delegations/${capability}-sa-1`;
          const held = await client.request<{ spec: { validUntil: string } }>('GET', target);
          const until = new Date(Date.parse(held.spec.validUntil) - 1000).toISOString();
          await client.request('PATCH', target, {
            spec: { validUntil: until.replace(/\.\d+Z$/, 'Z') },
          });
        } else {
          await client.request('PATCH', `${namespace}/capabilities/${capability}`, changeAt(tick));
        }
        await sleep(100);
      });
      const busyTo = Date.now() / 1000;
      const afterBusy = await operatorStats(running);
      log(
        `${size}: busy admission p50 ${ms(busy.p50)} p99 ${ms(busy.p99)}, ${(busy.within25 * 100).toFixed(2)}% within 25 ms`,
      );
      rows.push({
        size,
        objects: `${String(namespaces * ROLES_PER_NAMESPACE)} / ${String(namespaces * CAPABILITIES_PER_NAMESPACE)} / ${String(namespaces * CAPABILITIES_PER_NAMESPACE * DELEGATIONS_PER_CAPABILITY)} / ${String(namespaces * 200)}`,
        createSeconds,
        convergeSeconds,
        firstRound,
        delegationMs,
        delegationRound,
        suspendMs,
        suspendRound,
        idle,
        busy,
        busyRounds: roundText(beforeBusy, afterBusy),
        rssConverged: converged.rss,
        peakConverged: converged.peakRss,
        peakEnd: afterBusy.peakRss,
        heapConverged: heaps(converged),
        rssIdle: afterIdle.rss,
        rssAfter: afterBusy.rss,
        heapAfter: heaps(afterBusy),
        idleLoop: loopText(beforeIdle, afterIdle),
        busyLoop: loopText(beforeBusy, afterBusy),
        idleSide: capture && summarizeExchanges(capture.reader.exchanges, idleFrom, idleTo),
        busySide: capture && summarizeExchanges(capture.reader.exchanges, busyFrom, busyTo),
      });
      await capture?.stop();
      capture = undefined;
      await running.stop();
      operator = undefined;
      kubectl(['delete', 'validatingwebhookconfiguration', 'oos-validating', '--ignore-not-found']);
      kubectl(['delete', 'mutatingwebhookconfiguration', 'oos-mutating', '--ignore-not-found']);
    }
  } finally {
    await capture?.stop();
    await operator?.stop();
    client.close();
    await plane.stop();
  }
  const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(2)}%` : 'n/a');
  console.log(
    `\nThe operator ran ${values.compiled ? 'compiled, from dist/ (as the image does)' : 'from source, through tsx'}${operatorCpus === undefined ? '' : `, on CPU ${operatorCpus} alone`}.`,
  );
  console.log(
    `\n| size | roles / capabilities / delegations / pods | fill | start → every status | rounds until then (mean) | revoke a Delegation: status / round | suspend a Capability: status / round | RSS / heaps (admission + controller) converged | RSS after idle load | RSS / heaps after busy load | peak RSS: until converged / in all |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.size} | ${r.objects} | ${r.createSeconds.toFixed(0)} s | ${r.convergeSeconds.toFixed(1)} s | ${r.firstRound} | ${ms(r.delegationMs)} / ${r.delegationRound} | ${ms(r.suspendMs)} / ${r.suspendRound} | ${mib(r.rssConverged)} / ${r.heapConverged} | ${mib(r.rssIdle)} | ${mib(r.rssAfter)} / ${r.heapAfter} | ${mib(r.peakConverged)} / ${mib(r.peakEnd)} |`,
    );
  }
  console.log(
    `\n| size | admission idle: p50 / p99 / apiserver ≤ 25 ms | while ${changed} changes 10/s: p50 / p99 / ≤ 25 ms | rounds meanwhile | admission's event loop, idle; busy: a 10 ms timer's p99 / max, GCs over 10 ms | answers (idle; busy) |`,
  );
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.size} | ${ms(r.idle.p50)} / ${ms(r.idle.p99)} / ${pct(r.idle.within25)} of ${String(r.idle.webhookCalls)} | ${ms(r.busy.p50)} / ${ms(r.busy.p99)} / ${pct(r.busy.within25)} of ${String(r.busy.webhookCalls)} | ${r.busyRounds} | ${r.idleLoop}; ${r.busyLoop} | ${JSON.stringify(r.idle.answers)}; ${JSON.stringify(r.busy.answers)} |`,
    );
  }
  if (!values.capture) return;
  const side = (s: ExchangeSummary | undefined): string =>
    s === undefined
      ? 'n/a'
      : `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.p999)} / ${ms(s.max)} / ${pct(s.within25)} of ${String(s.count)}`;
  console.log(
    `\n| size | oos's side at the socket, idle: p50 / p99 / p99.9 / max / ≤ 25 ms | while ${changed} changes 10/s: the same |`,
  );
  console.log('|---|---|---|');
  for (const r of rows) console.log(`| ${r.size} | ${side(r.idleSide)} | ${side(r.busySide)} |`);
  const slow = (s: ExchangeSummary | undefined): string =>
    s === undefined || s.slow.length === 0
      ? 'none'
      : s.slow.map((e) => `${ms(e.ms)} at ${e.at.toFixed(1)} s`).join(', ');
  for (const r of rows) {
    console.log(
      `\n${r.size}: oos's calls over 25 ms at the socket, idle: ${slow(r.idleSide)}; busy: ${slow(r.busySide)}`,
    );
  }
}

await main();
