import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  adminBinding,
  ADMIN_USER,
  installCrds,
  isoIn,
  removeWebhooks,
} from '../support/cluster.js';
import { getJson, kubectl, kubectlOk, type KubectlResult } from '../support/kubectl.js';
import { startOperator, type RunningOperator } from '../support/operator.js';
import { waitFor } from '../support/wait.js';

// Adversary tests of "1. Subresources are workloads too", "5. The stop button cannot be weakened"
// and the state part of "3. Trust only what oos wrote" (docs/threat-model.md). Everyone acts
// through impersonation as a member of a group bound to cluster-admin, so every refusal below
// comes from oos, never from RBAC.
const GROUP = 'wl-adv-people';
const ERIN = { as: 'wl-adv-erin', groups: [GROUP] };
const MALLORY = { as: 'wl-adv-mallory', groups: [GROUP] };
const NS = 'wl-adv';
const OWNER = 'wl-adv-owner';
const REMEMBERED = 'oos.dev/replicas-before-suspend';
const SUSPENDED_BY_OOS = 'oos.dev/suspended-by-oos';
const VLLM = 'vllm/vllm-openai:v0.6.3';

const setup = `
${adminBinding('wl-adv-people-admin', GROUP)}
---
apiVersion: v1
kind: Namespace
metadata: { name: ${NS} }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: chat-bot, namespace: ${NS} }
---
apiVersion: oos.dev/v1alpha1
kind: AccountableRole
metadata: { name: ${OWNER} }
spec:
  title: Chat owner
  responsibilities: [Risk]
  holders:
    - { name: Erin Example, email: erin@example.com, user: wl-adv-erin, attestedUntil: '${isoIn(365 * 86_400_000)}' }
`;

/** A capability bounded to 4 replicas, whose stop button scales to zero, and its delegation. */
const capability = (name: string, suspend = false): string => `
apiVersion: oos.dev/v1alpha1
kind: Capability
metadata: { name: ${name}, namespace: ${NS} }
spec:
  description: Drafts answers to customer questions.
  intendedUse: An agent reviews every draft before sending it.
  accountableRole: ${OWNER}
  autonomy: Supervised
  riskTier: Limited
  stopAction: ScaleToZero
  suspend: ${suspend}
  boundaries: { maxReplicas: 4 }
---
apiVersion: oos.dev/v1alpha1
kind: Delegation
metadata: { name: ${name}-chat-bot, namespace: ${NS} }
spec:
  capability: ${name}
  serviceAccount: chat-bot
  validUntil: '${isoIn(86_400_000)}'
  justification: The chat workloads run as this ServiceAccount.
`;

const podTemplate = (app: string, cap: string | undefined, image = VLLM): string => `
  template:
    metadata: { labels: { app: ${app}${cap === undefined ? '' : `, oos.dev/capability: ${cap}`} } }
    spec:
      serviceAccountName: chat-bot
      containers: [{ name: main, image: ${image} }]`;

/** An anchored scalable workload of `kind` named `name`. */
function scalable(kind: string, name: string, cap = 'chat', replicas: number | null = 1) {
  const apiVersion = kind === 'ReplicationController' ? 'v1' : 'apps/v1';
  const selector =
    kind === 'ReplicationController'
      ? `selector: { app: ${name} }`
      : `selector: { matchLabels: { app: ${name} } }`;
  return `
apiVersion: ${apiVersion}
kind: ${kind}
metadata: { name: ${name}, namespace: ${NS}, labels: { oos.dev/capability: ${cap} } }
spec:${replicas === null ? '' : `\n  replicas: ${replicas}`}${kind === 'StatefulSet' ? `\n  serviceName: ${name}` : ''}
  ${selector}${podTemplate(name, cap)}
`;
}

const refusedWith = (result: KubectlResult, reason: string): void => {
  expect(result.code, result.stdout).not.toBe(0);
  expect(result.stderr).toContain(`${reason}:`);
};

interface Workload {
  metadata: { annotations?: Record<string, string>; resourceVersion: string };
  spec: { replicas?: number };
}
const workload = (kind: string, name: string): Promise<Workload> =>
  getJson<Workload>([kind, name, '-n', NS]);
const podsOf = async (app: string): Promise<number> =>
  (await getJson<{ items: unknown[] }>(['pods', '-n', NS, '-l', `app=${app}`])).items.length;

let operator: RunningOperator;

beforeAll(async () => {
  await installCrds();
  await kubectlOk(['apply', '-f', '-'], { stdin: setup });
  // The operator runs as the admin user here: its own writes skip admission, as in a cluster.
  operator = await startOperator(['--operator-user', ADMIN_USER]);
  await kubectlOk(['apply', '-f', '-'], { stdin: capability('chat'), ...ERIN });
  await kubectlOk(['apply', '-f', '-'], { stdin: capability('halt'), ...ERIN });
});

afterAll(async () => {
  await operator.stop();
  await removeWebhooks();
  await kubectl(['delete', 'namespace', NS, '--wait=false']);
  await kubectl(['delete', 'accountablerole', OWNER, '--ignore-not-found']);
  await kubectl(['delete', 'clusterrolebinding', 'wl-adv-people-admin', '--ignore-not-found']);
});

describe('the scale subresource holds the boundaries', () => {
  const KINDS = [
    ['deployment', 'Deployment', 'wl-scale-deploy'],
    ['replicaset', 'ReplicaSet', 'wl-scale-rs'],
    ['statefulset', 'StatefulSet', 'wl-scale-sts'],
    ['replicationcontroller', 'ReplicationController', 'wl-scale-rc'],
  ] as const;

  beforeAll(async () => {
    const manifests = KINDS.map(([, kind, name]) => scalable(kind, name)).join('---\n');
    await kubectlOk(['apply', '-f', '-'], { stdin: manifests, ...ERIN });
  });

  it.each(KINDS)(
    'kubectl scale %s beyond maxReplicas is refused, within allowed',
    async (resource, _, name) => {
      refusedWith(
        await kubectl(['scale', resource, name, '-n', NS, '--replicas=10'], MALLORY),
        'BoundaryViolation',
      );
      expect((await workload(resource, name)).spec.replicas).toBe(1);
      await kubectlOk(['scale', resource, name, '-n', NS, '--replicas=4'], MALLORY);
      expect((await workload(resource, name)).spec.replicas).toBe(4);
      // Scaling down is free.
      await kubectlOk(['scale', resource, name, '-n', NS, '--replicas=1'], MALLORY);
    },
  );

  it('kubectl patch --subresource=scale and replace of the Scale are refused too', async () => {
    for (const type of ['merge', 'json'] as const) {
      const patch =
        type === 'merge'
          ? '{"spec":{"replicas":40}}'
          : '[{"op":"replace","path":"/spec/replicas","value":40}]';
      refusedWith(
        await kubectl(
          [
            'patch',
            'deployment',
            'wl-scale-deploy',
            '-n',
            NS,
            '--subresource=scale',
            '--type',
            type,
            '-p',
            patch,
          ],
          MALLORY,
        ),
        'BoundaryViolation',
      );
    }
    const scale = await getJson(['replicaset', 'wl-scale-rs', '-n', NS, '--subresource=scale']);
    const raised = { ...scale, spec: { replicas: 12 } };
    refusedWith(
      await kubectl(
        [
          'replace',
          '--raw',
          `/apis/apps/v1/namespaces/${NS}/replicasets/wl-scale-rs/scale`,
          '-f',
          '-',
        ],
        { stdin: JSON.stringify(raised), ...MALLORY },
      ),
      'BoundaryViolation',
    );
    expect((await workload('replicaset', 'wl-scale-rs')).spec.replicas).toBe(1);
  });

  it('a workload scaled the instant after it is created is judged, not refused for cache lag', async () => {
    await kubectlOk(['create', '-f', '-'], {
      stdin: scalable('Deployment', 'wl-scale-fresh'),
      ...ERIN,
    });
    await kubectlOk(['scale', 'deployment', 'wl-scale-fresh', '-n', NS, '--replicas=3'], MALLORY);
    refusedWith(
      await kubectl(['scale', 'deployment', 'wl-scale-fresh', '-n', NS, '--replicas=5'], MALLORY),
      'BoundaryViolation',
    );
  });

  it('scaling an unanchored AI workload up is refused like any change of it', async () => {
    // Created by the admin (the operator's identity here, which admission skips): a workload that
    // predates oos.
    await kubectlOk(['create', '-f', '-'], {
      stdin: scalable('ReplicaSet', 'wl-scale-legacy').replace(
        /oos\.dev\/capability: chat/g,
        'team: legacy',
      ),
    });
    refusedWith(
      await kubectl(['scale', 'rs', 'wl-scale-legacy', '-n', NS, '--replicas=2'], MALLORY),
      'AnchorMissing',
    );
    await kubectlOk(['scale', 'rs', 'wl-scale-legacy', '-n', NS, '--replicas=0'], MALLORY);
  });
});

describe('ReplicationControllers are workloads', () => {
  it('an unanchored AI one is refused, on create and when an AI image is set later', async () => {
    const rc = (image: string) =>
      scalable('ReplicationController', 'wl-rc-bare')
        .replace(/oos\.dev\/capability: chat/g, 'team: x')
        .replace(VLLM, image);
    refusedWith(
      await kubectl(['create', '-f', '-'], { stdin: rc(VLLM), ...MALLORY }),
      'AnchorMissing',
    );
    await kubectlOk(['create', '-f', '-'], { stdin: rc('nginx:1.27'), ...MALLORY });
    refusedWith(
      await kubectl(['set', 'image', 'rc/wl-rc-bare', '-n', NS, `main=${VLLM}`], MALLORY),
      'AnchorMissing',
    );
  });

  it('an anchored one beyond maxReplicas is refused', async () => {
    refusedWith(
      await kubectl(['create', '-f', '-'], {
        stdin: scalable('ReplicationController', 'wl-rc-big', 'chat', 9),
        ...MALLORY,
      }),
      'BoundaryViolation',
    );
  });
});

describe('ephemeral containers are containers', () => {
  const POD = 'wl-eph-web';
  const path = `/api/v1/namespaces/${NS}/pods/${POD}/ephemeralcontainers`;

  beforeAll(async () => {
    await kubectlOk(['run', POD, '-n', NS, '--image=nginx:1.27', '--restart=Never'], MALLORY);
  });

  const withEphemeral = async (container: Record<string, unknown>): Promise<string> => {
    const pod = await getJson<{ spec: Record<string, unknown> }>(['pod', POD, '-n', NS]);
    return JSON.stringify({ ...pod, spec: { ...pod.spec, ephemeralContainers: [container] } });
  };

  it('an AI image added to a running non-AI pod is refused (kubectl debug, and a raw replace)', async () => {
    refusedWith(
      await kubectl(['debug', POD, '-n', NS, `--image=${VLLM}`, '-c', 'dbg'], MALLORY),
      'AnchorMissing',
    );
    refusedWith(
      await kubectl(['replace', '--raw', path, '-f', '-'], {
        stdin: await withEphemeral({ name: 'dbg2', image: VLLM }),
        ...MALLORY,
      }),
      'AnchorMissing',
    );
  });

  it('a model-provider key in an ephemeral container is refused', async () => {
    refusedWith(
      await kubectl(['replace', '--raw', path, '-f', '-'], {
        stdin: await withEphemeral({
          name: 'dbg3',
          image: 'busybox:1.36',
          env: [{ name: 'OPENAI_API_KEY', value: 'sk-test' }],
        }),
        ...MALLORY,
      }),
      'AnchorMissing',
    );
  });

  it('an ordinary debug container is admitted', async () => {
    await kubectlOk(['debug', POD, '-n', NS, '--image=busybox:1.36', '-c', 'shell'], MALLORY);
    const pod = await getJson<{ spec: { ephemeralContainers?: { image: string }[] } }>([
      'pod',
      POD,
      '-n',
      NS,
    ]);
    expect(pod.spec.ephemeralContainers?.map((c) => c.image)).toEqual(['busybox:1.36']);
  });
});

describe('the stop button’s state is the operator’s alone', () => {
  const APP = 'wl-stop-app';
  const RC = 'wl-stop-rc';
  // Applied with client-side apply and no replicas field, as many manifests are.
  const manifest = (extra = ''): string =>
    scalable('Deployment', APP, 'halt', null).replace(
      `labels: { oos.dev/capability: halt } }`,
      `labels: { oos.dev/capability: halt }${extra} }`,
    );
  const suspend = (value: boolean, who = MALLORY) =>
    kubectlOk(
      [
        'patch',
        'capability',
        'halt',
        '-n',
        NS,
        '--type',
        'merge',
        '-p',
        JSON.stringify({ spec: { suspend: value } }),
      ],
      who,
    );
  const stoppedAt = (remembered: string) =>
    waitFor(`${APP} stopped, remembering ${remembered}`, async () => {
      const d = await workload('deployment', APP);
      return d.spec.replicas === 0 && d.metadata.annotations?.[REMEMBERED] === remembered
        ? d
        : undefined;
    });

  beforeAll(async () => {
    await kubectlOk(['apply', '-f', '-'], { stdin: manifest(), ...ERIN });
    await kubectlOk(['apply', '-f', '-'], {
      stdin: scalable('ReplicationController', RC, 'halt', 2),
      ...ERIN,
    });
    await waitFor('the Pod of the app', async () => ((await podsOf(APP)) === 1 ? true : undefined));
    await suspend(true);
    await stoppedAt('1');
  });

  it('the stop button stops ReplicationControllers too', async () => {
    await waitFor(`${RC} stopped, remembering 2`, async () => {
      const rc = await workload('rc', RC);
      return rc.spec.replicas === 0 && rc.metadata.annotations?.[REMEMBERED] === '2'
        ? true
        : undefined;
    });
  });

  it('forging the remembered replicas is refused: annotate, patch, remove, replace', async () => {
    refusedWith(
      await kubectl(
        ['annotate', '--overwrite', 'deployment', APP, '-n', NS, `${REMEMBERED}=40`],
        MALLORY,
      ),
      'StateForged',
    );
    refusedWith(
      await kubectl(
        [
          'patch',
          'deployment',
          APP,
          '-n',
          NS,
          '--type',
          'merge',
          '-p',
          JSON.stringify({ metadata: { annotations: { [REMEMBERED]: '40' } } }),
        ],
        MALLORY,
      ),
      'StateForged',
    );
    refusedWith(
      await kubectl(['annotate', 'deployment', APP, '-n', NS, `${REMEMBERED}-`], MALLORY),
      'StateForged',
    );
    const stored = await getJson<{ metadata: { annotations: Record<string, string> } }>([
      'deployment',
      APP,
      '-n',
      NS,
    ]);
    stored.metadata.annotations[REMEMBERED] = '40';
    refusedWith(
      await kubectl(['replace', '-f', '-'], { stdin: JSON.stringify(stored), ...MALLORY }),
      'StateForged',
    );
    expect((await workload('deployment', APP)).metadata.annotations?.[REMEMBERED]).toBe('1');
  });

  it('a workload created with the state, or a suspended-by-oos marker, is refused', async () => {
    const forged = scalable('Deployment', 'wl-stop-forged', 'halt', 0).replace(
      'labels: { oos.dev/capability: halt } }',
      `labels: { oos.dev/capability: halt }, annotations: { ${REMEMBERED}: '40' } }`,
    );
    refusedWith(await kubectl(['create', '-f', '-'], { stdin: forged, ...MALLORY }), 'StateForged');
    refusedWith(await kubectl(['apply', '-f', '-'], { stdin: forged, ...MALLORY }), 'StateForged');
    const job = `
apiVersion: batch/v1
kind: CronJob
metadata: { name: wl-stop-cron, namespace: ${NS}, annotations: { ${SUSPENDED_BY_OOS}: 'true' } }
spec:
  schedule: '0 3 * * *'
  suspend: true
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{ name: main, image: busybox:1.36 }]
`;
    refusedWith(await kubectl(['create', '-f', '-'], { stdin: job, ...MALLORY }), 'StateForged');
  });

  it('ordinary applies and edits of a stopped workload keep working and keep the state', async () => {
    await kubectlOk(['apply', '-f', '-'], {
      stdin: manifest(', annotations: { team: search }'),
      ...ERIN,
    });
    const edited = await getJson<{ metadata: { annotations: Record<string, string> } }>([
      'deployment',
      APP,
      '-n',
      NS,
    ]);
    edited.metadata.annotations['owner-note'] = 'kept while stopped';
    await kubectlOk(['replace', '-f', '-'], { stdin: JSON.stringify(edited), ...ERIN });
    expect((await workload('deployment', APP)).metadata.annotations).toMatchObject({
      'owner-note': 'kept while stopped',
      [REMEMBERED]: '1',
    });
    await kubectlOk(['apply', '--server-side', '--force-conflicts', '-f', '-'], {
      stdin: manifest(', annotations: { team: search, tier: gold }'),
      ...ERIN,
    });
    const after = await workload('deployment', APP);
    expect(after.metadata.annotations).toMatchObject({
      team: 'search',
      tier: 'gold',
      [REMEMBERED]: '1',
    });
    expect(after.spec.replicas).toBe(0);
  });

  it('resuming never scales past maxReplicas, whatever the remembered value', async () => {
    // A value oos did not write, put there by the operator's own identity (which admission skips).
    await kubectlOk(['annotate', '--overwrite', 'deployment', APP, '-n', NS, `${REMEMBERED}=40`]);
    await suspend(false, ERIN);
    const resumed = await waitFor(`${APP} resumed within the boundaries`, async () => {
      const d = await workload('deployment', APP);
      return d.metadata.annotations?.[REMEMBERED] === undefined ? d : undefined;
    });
    expect(resumed.spec.replicas).toBe(4);
    await waitFor(`${RC} back at 2`, async () => {
      const rc = await workload('rc', RC);
      return rc.spec.replicas === 2 && rc.metadata.annotations?.[REMEMBERED] === undefined
        ? true
        : undefined;
    });
    await waitFor('4 Pods, none refused', async () =>
      (await podsOf(APP)) === 4 ? true : undefined,
    );
  });

  it('deleting the capability of a stopped workload leaves it stopped', async () => {
    await suspend(true);
    await stoppedAt('4');
    // By a holder of its role: whoever may delete it, the workloads stay stopped.
    await kubectlOk(['delete', 'capability', 'halt', '-n', NS], ERIN);
    // Give the controller time for several plans: it used to restore the replicas at once.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const d = await workload('deployment', APP);
    expect(d.spec.replicas).toBe(0);
    expect(d.metadata.annotations?.[REMEMBERED]).toBe('4');
    expect(await podsOf(APP)).toBe(0);
    // Scaling it by hand is judged: its capability is gone.
    refusedWith(
      await kubectl(['scale', 'deployment', APP, '-n', NS, '--replicas=1'], MALLORY),
      'CapabilityNotFound',
    );
  });
});
