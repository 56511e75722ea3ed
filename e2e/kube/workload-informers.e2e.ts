import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WorkloadInformers } from '../../operator/controller/workloads.js';
import { loadKubeconfig } from '../../operator/kube/kubeconfig.js';
import { KubeRest } from '../../operator/kube/rest.js';
import { kubectl, kubectlOk } from '../support/kubectl.js';
import { waitFor } from '../support/wait.js';

// The controller's workload informers against a real apiserver: a write of what the audit does
// not read (a Pod's conditions) leaves the very object they hold, so the plan's memo of its audit
// holds; a change of what it reads (a label) replaces it.
const NS = 'oos-workload-informers-e2e';

const pod = (name: string) => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${NS}, labels: { team: a } }
spec:
  containers: [{ name: web, image: nginx:1.27 }]
`;

describe('the workload informers and writes the audit does not read', () => {
  let informers: WorkloadInformers;
  const held = (name: string) => informers.get('/Pod', NS, name);
  const team = (name: string) =>
    (held(name)?.metadata as { labels?: Record<string, string> } | undefined)?.labels?.team;

  beforeAll(async () => {
    await kubectlOk(['create', 'namespace', NS]);
    await kubectlOk(['apply', '-f', '-'], { stdin: pod('web') });
    informers = new WorkloadInformers({
      rest: new KubeRest(loadKubeconfig({ file: inject('kubeconfig') }).access),
      logger: pino({ level: 'silent' }),
      onChange: () => undefined,
    });
    informers.start();
    await waitFor('the informers to hold the Pod', () =>
      Promise.resolve(informers.synced() && held('web') !== undefined ? true : undefined),
    );
  });

  afterAll(async () => {
    await informers.stop();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
  });

  it('keep the Pod they hold when its conditions are written', async () => {
    const before = held('web');
    expect(before).not.toHaveProperty('spec.terminationGracePeriodSeconds');
    const conditions = {
      status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
    };
    await kubectlOk([
      'patch',
      'pod',
      'web',
      '-n',
      NS,
      '--subresource=status',
      '--type=merge',
      '-p',
      JSON.stringify(conditions),
    ]);
    // A Pod made after the write is a barrier (one watch, in order).
    await kubectlOk(['apply', '-f', '-'], { stdin: pod('barrier') });
    await waitFor('the informers to hold the barrier Pod', () =>
      Promise.resolve(held('barrier') !== undefined ? true : undefined),
    );
    const stored = await kubectlOk(['get', 'pod', 'web', '-n', NS, '-o', 'json']);
    expect(JSON.parse(stored)).toMatchObject(conditions);
    expect(held('web')).toBe(before);
  });

  it('take the new Pod when its labels change', async () => {
    const before = held('web');
    await kubectlOk(['label', 'pod', 'web', '-n', NS, 'team=b', '--overwrite']);
    await waitFor('the informers to hold the relabelled Pod', () =>
      Promise.resolve(team('web') === 'b' ? true : undefined),
    );
    expect(held('web')).not.toBe(before);
  });
});
