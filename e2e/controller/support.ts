import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '../../controlplane/ports.js';
import { toolPath } from '../../controlplane/tools.js';
import { adminBinding, ADMIN_USER, isoIn } from '../support/cluster.js';
import { getJson } from '../support/kubectl.js';
import { startOperator, type RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';

export { ADMIN_USER, installCrds, isoIn, removeWebhooks } from '../support/cluster.js';

/** People act through impersonation; the group is bound to cluster-admin by {@link peopleRbac}. */
export const PEOPLE_GROUP = 'ctl-e2e-people';
export const as = (user: string) => ({ as: user, groups: [PEOPLE_GROUP] });

/** RBAC so that the impersonated people may do anything: every refusal then comes from oos. */
export const peopleRbac = (name: string): string => adminBinding(name, PEOPLE_GROUP);

export function role(name: string, holders: readonly string[]): string {
  const list = holders
    .map(
      (user) =>
        `    - { name: ${user} Person, email: ${user}@example.com, user: ${user}, attestedUntil: '${isoIn(365 * 86_400_000)}' }`,
    )
    .join('\n');
  return `
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: ${name} }
spec:
  title: ${name}
  responsibilities: [Risk]
  holders:${holders.length === 0 ? ' []' : `\n${list}`}
`;
}

/** The operator as these tests run it: acting as the admin user, so its own writes skip admission. */
export function startController(extra: readonly string[] = []): Promise<RunningOperator> {
  return startOperator(['--operator-user', ADMIN_USER, ...extra]);
}

export interface Condition {
  type: string;
  status: string;
  reason: string;
  message?: string;
  lastTransitionTime: string;
}

export interface EscalationObject {
  metadata: {
    name: string;
    uid: string;
    creationTimestamp: string;
    labels?: Record<string, string>;
  };
  spec: {
    trigger: string;
    severity: string;
    subject: { kind: string; name: string; namespace?: string };
    capability?: string;
    accountableRole?: string;
    summary: string;
    acknowledged?: boolean;
    acknowledgedBy?: string;
  };
  status?: {
    level?: number;
    notifiedRoles?: string[];
    resolvedAt?: string;
    conditions?: Condition[];
  };
}

export async function escalations(namespace: string): Promise<EscalationObject[]> {
  return (await getJson<{ items: EscalationObject[] }>(['escalations', '-n', namespace])).items;
}

export function conditionOf(
  object: { status?: { conditions?: Condition[] } },
  type: string,
): Condition | undefined {
  return object.status?.conditions?.find((c) => c.type === type);
}

export const isOpen = (e: EscalationObject): boolean => e.status?.resolvedAt === undefined;

/** Waits for an escalation of `trigger` about `subject` matching `accept`. */
export function waitForEscalation(
  namespace: string,
  trigger: string,
  subject: string,
  accept: (e: EscalationObject) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<EscalationObject> {
  return waitFor(
    `a ${trigger} escalation about ${subject} in ${namespace}`,
    async () =>
      (await escalations(namespace)).find(
        (e) => e.spec.trigger === trigger && e.spec.subject.name === subject && accept(e),
      ),
    { timeoutMs, intervalMs: 250 },
  );
}

export interface EventObject {
  reason: string;
  note?: string;
  type: string;
  regarding: { kind: string; name: string; namespace?: string };
  series?: { count: number };
}

/** events.k8s.io/v1 Events of a namespace (what `kubectl events` prints). */
export async function events(namespace: string): Promise<EventObject[]> {
  return (await getJson<{ items: EventObject[] }>(['events.events.k8s.io', '-n', namespace])).items;
}

export function waitForEvent(
  namespace: string,
  reason: string,
  regardingKind: string,
  regardingName: string,
): Promise<EventObject> {
  return waitFor(`a ${reason} event about ${regardingKind} ${regardingName}`, async () =>
    (await events(namespace)).find(
      (e) =>
        e.reason === reason &&
        e.regarding.kind === regardingKind &&
        e.regarding.name === regardingName,
    ),
  );
}

/** One sample of the operator's /metrics, or undefined. */
export async function metric(
  operator: RunningOperator,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const { body } = await operator.get('/metrics');
  for (const line of body.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** A real Alertmanager (built from its Go module into the cache) on a free loopback port. */
export interface RunningAlertmanager {
  readonly url: string;
  alerts(): Promise<{ labels: Record<string, string>; annotations: Record<string, string> }[]>;
  stop(): Promise<void>;
}

export async function startAlertmanager(): Promise<RunningAlertmanager> {
  const [port] = (await freePorts(1)) as [number];
  const dir = mkdtempSync(join(tmpdir(), 'oos-alertmanager-'));
  writeFileSync(
    join(dir, 'alertmanager.yml'),
    'route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n',
  );
  const child: ChildProcess = spawn(
    toolPath('alertmanager'),
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${dir}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // An empty address turns high-availability gossip off: one instance, ready at once.
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor('Alertmanager to be ready', async () => {
    if (child.exitCode !== null) throw new Error(`alertmanager exited: ${output.slice(-1000)}`);
    const ready = await fetch(`${url}/-/ready`).catch(() => undefined);
    return ready?.ok === true ? true : undefined;
  });
  return {
    url,
    alerts: async () => {
      const response = await fetch(`${url}/api/v2/alerts`);
      return (await response.json()) as {
        labels: Record<string, string>;
        annotations: Record<string, string>;
      }[];
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A JSON webhook on a free loopback port that keeps what it receives. */
export interface RecordingWebhook {
  readonly url: string;
  readonly received: Record<string, unknown>[];
  stop(): Promise<void>;
}

export async function startWebhook(): Promise<RecordingWebhook> {
  const received: Record<string, unknown>[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/escalations`,
    received,
    stop: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}
