import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { KubectlOptions, KubectlResult } from '../../controlplane/kubectl.js';
import type { OosRelease } from '../../controlplane/node/oos-release.js';
import { adminBinding } from '../support/cluster.js';
import { waitFor } from '../support/wait.js';
import { conditionOf, role, type Condition, type EscalationObject } from '../controller/support.js';

/**
 * The assertions on a running install of oos by its chart: one suite, run by every cluster that
 * has one (kind: e2e/kind/installed.e2e.ts; the local node: e2e/node/chart.e2e.ts), so the two
 * can never drift. Call it inside a `describe` whose `beforeAll` has installed the release.
 */
export interface RunningInstall {
  readonly release: Pick<OosRelease, 'namespace' | 'release' | 'fullname'>;
  /** kubectl against the cluster, as a person types it (never throws on a non-zero exit). */
  kubectl(args: readonly string[], options?: KubectlOptions): Promise<KubectlResult>;
  /**
   * A container that really runs on the cluster's nodes without a pull and exits at once on
   * SIGTERM: the workloads the tests admit, stop and restore run it.
   */
  readonly workload: { readonly image: string; readonly command?: readonly string[] };
}

const NS = 'oos-installed-e2e';
const PEOPLE = 'oos-installed-people';
const OWNER = 'oos-installed-owner';
const VACANT = 'oos-installed-vacant';
const ERIN = { as: 'oos-installed-erin', groups: [PEOPLE] };
const MALLORY = { as: 'oos-installed-mallory', groups: [PEOPLE] };
const APP = 'chat';
const ANNOTATION = 'oos.dev/replicas-before-suspend';

interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
}

const isoIn = (ms: number): string =>
  new Date(Date.now() + ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** A Deployment; labelled with `capability`, it is an AI workload anchored to it. */
function deployment(
  name: string,
  options: {
    capability?: string;
    gpus?: number;
    replicas?: number;
    serviceAccount?: string;
    container?: RunningInstall['workload'];
  },
): string {
  const labels = options.capability ? { 'oos.dev/capability': options.capability } : {};
  const container = options.container ?? { image: 'registry.example/ml/server:1' };
  return stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS, labels },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, ...labels } },
        spec: {
          ...(options.serviceAccount ? { serviceAccountName: options.serviceAccount } : {}),
          terminationGracePeriodSeconds: 5,
          containers: [
            {
              name: 'main',
              image: container.image,
              imagePullPolicy: 'IfNotPresent',
              ...(container.command ? { command: container.command } : {}),
              ...((options.gpus ?? 0) > 0
                ? { resources: { limits: { 'nvidia.com/gpu': options.gpus } } }
                : {}),
            },
          ],
        },
      },
    },
  });
}

const governance = `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: ${APP}, namespace: ${NS} }
spec:
  description: Drafts answers to customer questions.
  intendedUse: An agent reviews every draft before sending it.
  accountableRole: ${OWNER}
  autonomy: Supervised
  riskTier: Limited
  stopAction: ScaleToZero
---
apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: ${APP}-bot, namespace: ${NS} }
spec:
  capability: ${APP}
  serviceAccount: ${APP}-bot
  validUntil: '${isoIn(86_400_000)}'
  justification: The ${APP} Deployment runs as this ServiceAccount.
`;

/** A capability whose role has no holder, with a policy that escalates that. */
const vacancy = `
${role(VACANT, [])}
---
apiVersion: oos.dev/v1alpha1
kind: EscalationPolicy
metadata: { name: vacancy, namespace: ${NS} }
spec:
  triggers:
    - { type: AccountabilityVacant, severity: Critical }
  levels:
    - { after: 0s, notifyAccountableRole: true }
---
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: triage, namespace: ${NS} }
spec:
  description: Suggests a cost centre for supplier invoices.
  intendedUse: Clerks book every invoice themselves.
  accountableRole: ${VACANT}
  autonomy: Advisory
  riskTier: Limited
  delegationRequired: false
  escalationPolicy: vacancy
`;

export function runningInstallSuite(install: () => RunningInstall): void {
  const kubectl = (args: readonly string[], options?: KubectlOptions): Promise<KubectlResult> =>
    install().kubectl(args, options);
  const kubectlOk = async (args: readonly string[], options?: KubectlOptions): Promise<string> => {
    const result = await kubectl(args, options);
    if (result.code !== 0) {
      throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
    }
    return result.stdout;
  };
  const getJson = async <T>(args: readonly string[]): Promise<T> =>
    JSON.parse(await kubectlOk(['get', ...args, '-o', 'json'])) as T;
  const dryRun = (yaml: string, options?: KubectlOptions): Promise<KubectlResult> =>
    kubectl(['create', '--dry-run=server', '-f', '-'], { stdin: yaml, ...options });
  const release = () => install().release;
  const selector = () => `app.kubernetes.io/instance=${release().release}`;
  const pods = async (labels: string, namespace = NS): Promise<Pod[]> =>
    (await getJson<{ items: Pod[] }>(['pods', '-n', namespace, '-l', labels])).items;
  const running = (list: readonly Pod[]): Pod[] =>
    list.filter(
      (p) =>
        p.metadata.deletionTimestamp === undefined &&
        p.status.phase === 'Running' &&
        p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
    );

  beforeAll(async () => {
    await kubectlOk(['apply', '-f', '-'], {
      stdin: `${adminBinding(PEOPLE, PEOPLE)}\n---\n${role(OWNER, [ERIN.as])}\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: ${NS} }\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: { name: ${APP}-bot, namespace: ${NS} }\n`,
    });
  });

  afterAll(async () => {
    try {
      install();
    } catch {
      return; // never installed: nothing of the suite's to remove (and the caller's teardown runs)
    }
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'accountablerole', OWNER, VACANT, '--ignore-not-found']);
    await kubectl(['delete', 'clusterrolebinding', PEOPLE, '--ignore-not-found']);
  });

  it('runs every replica Ready behind the webhook Service (ready = the governance cache has synced)', async () => {
    const { namespace, fullname } = release();
    const live = await waitFor(
      'the operator Deployment to be available',
      async () => {
        const d = await getJson<{
          spec: { replicas: number };
          status: { readyReplicas?: number };
        }>(['deployment', fullname, '-n', namespace]);
        return d.status.readyReplicas === d.spec.replicas ? d : undefined;
      },
      { timeoutMs: 180_000 },
    );
    expect(live.spec.replicas).toBeGreaterThanOrEqual(2);
    const operatorPods = running(await pods(selector(), namespace));
    expect(operatorPods).toHaveLength(live.spec.replicas);
    // Each ready Pod is an endpoint of the Service the webhook configurations name.
    const slices = await getJson<{
      items: { endpoints?: { targetRef?: { name: string }; conditions?: { ready?: boolean } }[] }[];
    }>(['endpointslices', '-n', namespace, '-l', `kubernetes.io/service-name=${fullname}-webhook`]);
    const ready = slices.items
      .flatMap((s) => s.endpoints ?? [])
      .filter((e) => e.conditions?.ready === true)
      .map((e) => e.targetRef?.name)
      .sort();
    expect(ready).toEqual(operatorPods.map((p) => p.metadata.name).sort());
  });

  it('publishes the CA of its self-managed serving certificate into both webhook configurations, which call the Service', async () => {
    const { namespace, fullname } = release();
    const secret = await getJson<{ data: Record<string, string> }>([
      'secret',
      `${fullname}-webhook-tls`,
      '-n',
      namespace,
    ]);
    const ca = Buffer.from(secret.data['ca.crt'] ?? '', 'base64').toString();
    expect(ca).toContain('-----BEGIN CERTIFICATE-----');
    for (const configuration of [
      `validatingwebhookconfiguration/${fullname}-validating`,
      `mutatingwebhookconfiguration/${fullname}-mutating`,
    ]) {
      const live = await getJson<{
        webhooks: {
          clientConfig: { caBundle?: string; url?: string; service?: Record<string, unknown> };
        }[];
      }>([configuration]);
      expect(live.webhooks.length).toBeGreaterThan(0);
      for (const webhook of live.webhooks) {
        expect(webhook.clientConfig.url).toBeUndefined();
        expect(webhook.clientConfig.service).toMatchObject({
          namespace,
          name: `${fullname}-webhook`,
          port: 443,
        });
        const bundle = Buffer.from(webhook.clientConfig.caBundle ?? '', 'base64').toString();
        expect(bundle).toContain(ca.trim());
      }
    }
  });

  it('refuses in the cluster: the webhook judges the chain, the fallback policy the anchor', async () => {
    // Anchored, so the fallback policy lets it through; the capability does not exist.
    const unknown = await dryRun(deployment('llm', { capability: 'does-not-exist', gpus: 1 }));
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('admission webhook "workloads.oos.dev" denied the request');
    expect(unknown.stderr).toContain('CapabilityNotFound');
    const unanchored = await dryRun(deployment('llm', { gpus: 1 }));
    expect(unanchored.code).not.toBe(0);
    expect(unanchored.stderr).toContain(
      `ValidatingAdmissionPolicy '${release().fullname}-require-anchor'`,
    );
    expect(unanchored.stderr).toContain('AnchorMissing');
    expect((await dryRun(deployment('web', {}))).code).toBe(0);
  });

  it('admits an AI workload anchored to a capability with an accountable human; its Pods run', async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: governance, ...ERIN });
    // Every replica judges from its own watch cache: the request right after the Delegation's
    // creation may reach a replica whose watch has not delivered it yet (DelegationMissing);
    // applying again is what a person does. Any other refusal fails the test with its words.
    const workload = deployment(APP, {
      capability: APP,
      replicas: 2,
      serviceAccount: `${APP}-bot`,
      container: install().workload,
    });
    await waitFor(
      `the ${APP} Deployment to be admitted`,
      async () => {
        const applied = await kubectl(['apply', '-f', '-'], { stdin: workload, ...ERIN });
        if (applied.code === 0) return true;
        if (applied.stderr.includes('DelegationMissing')) return undefined;
        throw new Error(`refused: ${applied.stderr.trim()}`);
      },
      { timeoutMs: 15_000, intervalMs: 500 },
    );
    const up = await waitFor(
      `two running ${APP} Pods`,
      async () => {
        const list = running(await pods(`app=${APP}`));
        return list.length === 2 ? list : undefined;
      },
      { timeoutMs: 90_000 },
    );
    expect(up).toHaveLength(2);
    // The decision, as a replica logged it: Anchored, for the Deployment and for its Pods.
    const logs = await kubectlOk([
      'logs',
      '-n',
      release().namespace,
      '-l',
      selector(),
      '--tail=-1',
      '--prefix=false',
    ]);
    const decisions = logs
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((d) => d.namespace === NS && d.reason !== undefined);
    expect(decisions).toContainEqual(
      expect.objectContaining({ kind: 'Deployment', name: APP, allowed: true, reason: 'Anchored' }),
    );
    expect(decisions).toContainEqual(
      expect.objectContaining({ kind: 'Pod', allowed: true, reason: 'Anchored' }),
    );
  });

  it('stamps who granted a Delegation, and refuses a stamp naming someone else', async () => {
    const delegation = await getJson<{ spec: { grantedBy?: string } }>([
      'delegation',
      `${APP}-bot`,
      '-n',
      NS,
    ]);
    expect(delegation.spec.grantedBy).toBe(ERIN.as);
    const forged = await dryRun(
      `apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: forged, namespace: ${NS} }
spec:
  capability: ${APP}
  serviceAccount: ${APP}-bot
  validUntil: '${isoIn(86_400_000)}'
  justification: Claims another grantor.
  grantedBy: someone-else
`,
      ERIN,
    );
    expect(forged.code).not.toBe(0);
    expect(forged.stderr).toContain('StampForged');
    expect(forged.stderr).toContain('spec.grantedBy');
  });

  it("raises an escalation from the leader Pod's controller", async () => {
    const { namespace } = release();
    await kubectlOk(['apply', '-f', '-'], { stdin: vacancy });
    const escalation = await waitFor(
      'an AccountabilityVacant escalation about triage',
      async () =>
        (await getJson<{ items: EscalationObject[] }>(['escalations', '-n', NS])).items.find(
          (e) => e.spec.trigger === 'AccountabilityVacant' && e.spec.subject.name === 'triage',
        ),
      { timeoutMs: 60_000 },
    );
    expect(escalation.spec).toMatchObject({
      severity: 'Critical',
      subject: { kind: 'Capability', name: 'triage', namespace: NS },
      accountableRole: VACANT,
    });
    // The controller that wrote it runs in the Pod holding the Lease (identity `<pod>_<uuid>`).
    const lease = await getJson<{ spec: { holderIdentity?: string } }>([
      'lease',
      'oos-controller',
      '-n',
      namespace,
    ]);
    const names = running(await pods(selector(), namespace)).map((p) => p.metadata.name);
    expect(names).toContain(lease.spec.holderIdentity?.split('_')[0]);
  });

  it('stops the running Pods when anyone presses stop; they stay gone until a holder resumes', async () => {
    const patch = (suspend: boolean) => [
      'patch',
      'capability',
      APP,
      '-n',
      NS,
      '--type',
      'merge',
      '-p',
      JSON.stringify({ spec: { suspend, ...(suspend ? { suspendReason: 'Drafts leak.' } : {}) } }),
    ];
    await kubectlOk(patch(true), MALLORY);
    const scaled = await waitFor('the Deployment at zero replicas', async () => {
      const d = await getJson<{
        metadata: { annotations?: Record<string, string> };
        spec: { replicas: number };
      }>(['deployment', APP, '-n', NS]);
      return d.spec.replicas === 0 ? d : undefined;
    });
    expect(scaled.metadata.annotations?.[ANNOTATION]).toBe('2');
    await waitFor(
      `the ${APP} Pods to terminate`,
      async () => ((await pods(`app=${APP}`)).length === 0 ? true : undefined),
      { timeoutMs: 60_000 },
    );
    // Stopped stays stopped: scaling it up again is refused while the capability is suspended.
    const scaleUp = await kubectl(['scale', 'deployment', APP, '-n', NS, '--replicas=2'], MALLORY);
    expect(scaleUp.code).not.toBe(0);
    expect(scaleUp.stderr).toContain('CapabilitySuspended');
    expect(await pods(`app=${APP}`)).toEqual([]);
    // Resuming needs accountability: not Mallory, Erin (a holder of the accountable role).
    expect((await kubectl(patch(false), MALLORY)).code).not.toBe(0);
    await kubectlOk(patch(false), ERIN);
    const back = await waitFor(
      `two running ${APP} Pods again`,
      async () => {
        const list = running(await pods(`app=${APP}`));
        return list.length === 2 ? list : undefined;
      },
      { timeoutMs: 90_000 },
    );
    expect(back).toHaveLength(2);
    const capability = await getJson<{
      spec: { suspendedBy?: string; resumedBy?: string };
      status?: { conditions?: Condition[] };
    }>(['capability', APP, '-n', NS]);
    expect(capability.spec).toMatchObject({ suspendedBy: MALLORY.as, resumedBy: ERIN.as });
    expect(conditionOf(capability, 'Suspended')?.status).not.toBe('True');
  });

  it('fails no admission request during a rolling update of the operator', async () => {
    const { namespace, fullname } = release();
    const state = { stop: false };
    const failures: string[] = [];
    let answered = 0;
    const load = (async () => {
      while (!state.stop) {
        const result = await dryRun(deployment(`web-${answered}`, {}));
        answered += 1;
        if (result.code !== 0) failures.push(result.stderr.trim());
      }
    })();
    try {
      await kubectlOk(['rollout', 'restart', `deployment/${fullname}`, '-n', namespace]);
      await kubectlOk([
        'rollout',
        'status',
        `deployment/${fullname}`,
        '-n',
        namespace,
        '--timeout=300s',
      ]);
    } finally {
      state.stop = true;
      await load;
    }
    expect(answered).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });

  it('serves Prometheus metrics over HTTPS on the webhook Service', async () => {
    const { namespace, fullname } = release();
    const metrics = await kubectlOk([
      'get',
      '--raw',
      `/api/v1/namespaces/${namespace}/services/https:${fullname}-webhook:443/proxy/metrics`,
    ]);
    expect(metrics).toContain('# TYPE oos_admission_reviews_total counter');
  });
}
