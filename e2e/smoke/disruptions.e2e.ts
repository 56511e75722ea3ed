import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../controlplane/controlplane.js';
import { compactEtcd, restartApiserver } from '../../controlplane/disruptions.js';
import { runKubectl } from '../../controlplane/kubectl.js';
import { waitFor } from '../support/wait.js';

// What the reliability scenarios do to a control plane (controlplane/disruptions.ts), on one of
// this file's own: the apiserver restarted in place keeps its address and credentials, etcd
// compaction makes old revisions unreadable, and stop() still stops everything, the restarted
// apiserver included.

/** Pids of processes whose command line mentions `text`. */
const mentioning = (text: string): string[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    });

let cp: ControlPlane;
const kubectl = (...args: string[]) => runKubectl(cp.binaries.kubectl, cp.kubeconfig, args);

describe('disruptions of a running control plane', () => {
  beforeAll(async () => {
    cp = await startControlPlane();
  });

  afterAll(async () => {
    await cp.stop();
  });

  it('restarts kube-apiserver in place: same address and credentials, a new process', async () => {
    const created = await kubectl('create', 'configmap', 'before-restart', '-n', 'default');
    expect(created.code).toBe(0);
    const pidBefore = cp.processes.find((p) => p.name === 'kube-apiserver')?.pid;
    const restarted = await restartApiserver(cp.dir, 2_000);
    expect(restarted.readyAt).toBeGreaterThanOrEqual(restarted.stoppedAt);
    const got = await kubectl('get', 'configmap', 'before-restart', '-n', 'default', '-o', 'name');
    expect(got.stdout.trim()).toBe('configmap/before-restart');
    const apiservers = mentioning(`${cp.dir}/pki/apiserver`);
    expect(apiservers).toHaveLength(1);
    expect(apiservers).not.toContain(String(pidBefore));
  });

  it('compacts etcd: after a restart, a list at a revision older than the compaction is 410 Gone', async () => {
    const list = await kubectl('get', '--raw', '/api/v1/namespaces/default/configmaps');
    const old = (JSON.parse(list.stdout) as { metadata: { resourceVersion: string } }).metadata
      .resourceVersion;
    await kubectl('create', 'configmap', 'after-list', '-n', 'default');
    const { revision } = await compactEtcd(cp.dir);
    expect(revision).toBeGreaterThan(Number(old));
    // The apiserver's watch cache still holds that revision; a restarted apiserver has only etcd.
    await restartApiserver(cp.dir, 2_000);
    const stale = await kubectl(
      'get',
      '--raw',
      `/api/v1/namespaces/default/configmaps?resourceVersion=${old}&resourceVersionMatch=Exact`,
    );
    expect(stale.code).not.toBe(0);
    expect(stale.stderr).toMatch(/too old|Expired|410/);
  });

  it('stops every process, the restarted apiserver included', async () => {
    await cp.stop();
    // The reaper notices the directory is gone within half a second and exits too.
    const left = await waitFor(
      'every process of the control plane to be gone',
      () => Promise.resolve(mentioning(cp.dir).length === 0 ? [] : undefined),
      { timeoutMs: 5_000 },
    ).catch(() => mentioning(cp.dir));
    expect(left).toEqual([]);
  });
});
