import { describe } from 'vitest';
import { kubectl } from '../support/kubectl.js';
import { runningInstallSuite } from '../installed/suite.js';

/**
 * oos as the chart installs it, on a cluster with nodes: run by `npm run e2e:kind` after
 * `helm install`, with OOS_E2E_RELEASE=<namespace>/<release> and OOS_E2E_WORKLOAD_IMAGE (the
 * image loaded into the nodes: the workloads the tests admit and stop run it). Skipped on the
 * built-in control plane (no nodes: the operator never runs there). The assertions are the
 * shared suite of a running install (e2e/installed/suite.ts), which the local node runs too.
 */
const [namespace = '', release = ''] = (process.env.OOS_E2E_RELEASE ?? '').split('/');
const fullname = release.includes('oos') ? release : `${release}-oos`;
const image = process.env.OOS_E2E_WORKLOAD_IMAGE ?? '';

describe.skipIf(release === '' || image === '')('oos installed by the chart, on kind', () => {
  runningInstallSuite(() => ({
    release: { namespace, release, fullname },
    kubectl,
    // The oos image itself, as a process that sleeps and exits at once on SIGTERM.
    workload: {
      image,
      command: [
        'node',
        '-e',
        "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1 << 30);",
      ],
    },
  }));
});
