import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binariesFor } from '../../controlplane/build.js';
import { runKubectl } from '../../controlplane/kubectl.js';
import { nodeBinariesFor } from '../../controlplane/node/build.js';
import { importImage, PROBE_IMAGE, writeProbeImage } from '../../controlplane/node/images.js';
import { installOos, uninstallOos, type OosRelease } from '../../controlplane/node/oos-release.js';
import { runningInstallSuite } from '../installed/suite.js';
import { cluster as clusterCommand, nodeSkipReason } from './support.js';

// oos installed by its chart on the local worker node (`cluster:up -- --node`), with the image
// the repository's Dockerfile builds (`npm run image`): Pods that really run and really stop.
// The assertions are the shared suite of a running install, which the kind run executes too.
const unsupported = nodeSkipReason('e2e/node/chart.e2e.ts');

const clusterDir = mkdtempSync(join(tmpdir(), 'oos-chart-node-e2e-'));
const kubeconfig = join(clusterDir, 'kubeconfig');
const { kubectl: kubectlBin, helm } = binariesFor();
const cluster = (script: string, ...args: string[]) => clusterCommand(clusterDir, script, ...args);
const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

describe.skipIf(unsupported !== undefined)('oos installed by the chart on the local node', () => {
  let release: OosRelease | undefined;
  /** Set by the uninstall test: afterAll then has nothing left to remove. */
  let uninstalled = false;

  beforeAll(async () => {
    const up = await cluster('up', '--node');
    if (up.code !== 0) throw new Error(`cluster:up -- --node failed:\n${up.output}`);
    // The workloads the suite admits and stops run the probe, imported like any local image.
    const probeArchive = join(clusterDir, 'probe.tar');
    writeProbeImage(nodeBinariesFor(), probeArchive);
    importImage(clusterDir, probeArchive);
    release = await installOos({ clusterDir, kubeconfig, helm, kubectl: kubectlBin, log });
  }, 1_800_000);

  afterAll(async () => {
    // The node goes whatever happened; the release first, as a user would remove it.
    try {
      if (release && !uninstalled) {
        await uninstallOos({ kubeconfig, helm, kubectl: kubectlBin, release });
      }
    } finally {
      await cluster('down');
      rmSync(clusterDir, { recursive: true, force: true });
    }
  }, 300_000);

  it('runs the image npm run image built, with pullPolicy Never', async () => {
    const installed = release;
    if (!installed) throw new Error('oos was not installed');
    const deployment = await runKubectl(kubectlBin, kubeconfig, [
      'get',
      'deployment',
      installed.fullname,
      '-n',
      installed.namespace,
      '-o',
      'jsonpath={.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].imagePullPolicy}',
    ]);
    expect(deployment.stdout).toBe(`${installed.image} Never`);
    expect(installed.image).toMatch(/^oos\.local\/oos:[0-9a-f]{16}$/);
  });

  // Its own describe: its hooks end before this one's afterAll takes the node down.
  describe('a running install', () => {
    runningInstallSuite(() => {
      if (!release) throw new Error('oos was not installed');
      return {
        release,
        kubectl: (args, options) => runKubectl(kubectlBin, kubeconfig, args, options),
        workload: { image: PROBE_IMAGE },
      };
    });
  });

  it('uninstalls: the webhooks and the fallback policy go, the namespace too', async () => {
    const installed = release;
    if (!installed) throw new Error('oos was not installed');
    await uninstallOos({ kubeconfig, helm, kubectl: kubectlBin, release: installed });
    uninstalled = true;
    const left = await runKubectl(kubectlBin, kubeconfig, [
      'get',
      'validatingwebhookconfigurations,mutatingwebhookconfigurations,validatingadmissionpolicies',
      '-o',
      'name',
    ]);
    expect(left.stdout).not.toContain(installed.fullname);
    const namespace = await runKubectl(kubectlBin, kubeconfig, [
      'get',
      'namespace',
      installed.namespace,
    ]);
    expect(namespace.stderr).toContain('NotFound');
  });
});
