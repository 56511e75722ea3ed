import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tokenKubeconfig } from '../../controlplane/kubeconfig.js';
import {
  isAlreadyExists,
  isConflict,
  isForbidden,
  isInvalid,
  isNamespaceGone,
  isNotFound,
  reasonOf,
} from '../../operator/kube/errors.js';
import { KubeRest } from '../../operator/kube/rest.js';
import { loadKubeconfig } from '../../operator/kube/kubeconfig.js';
import { kubectl, kubectlOk } from '../support/kubectl.js';
import { waitFor } from '../support/wait.js';

// The helpers of operator/kube/errors.ts against the answers of a real kube-apiserver.
const NS = 'oos-kube-errors-e2e';
const DOOMED = 'oos-kube-errors-doomed-e2e';
const HOLD = 'oos.dev/e2e-hold';

function rest(kubeconfig: string): KubeRest {
  return new KubeRest(loadKubeconfig({ file: kubeconfig }).access);
}

/** The error a request fails with (the test fails if it succeeds). */
async function failure(request: Promise<unknown>): Promise<unknown> {
  try {
    await request;
  } catch (error) {
    return error;
  }
  throw new Error('the request succeeded');
}

const configMap = (name: string, namespace = NS): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace },
  data: { a: '1' },
});

describe('Kubernetes API errors from a real apiserver', () => {
  const admin = (): KubeRest => rest(inject('kubeconfig'));
  const dir = mkdtempSync(join(tmpdir(), 'oos-kube-errors-'));

  beforeAll(async () => {
    await kubectlOk(['create', 'namespace', NS]);
  });

  afterAll(async () => {
    await kubectl([
      'patch',
      'configmap',
      'held',
      '-n',
      DOOMED,
      '--type=merge',
      '-p',
      '{"metadata":{"finalizers":null}}',
    ]);
    await kubectl(['delete', 'namespace', NS, DOOMED, '--wait=false', '--ignore-not-found']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('NotFound: reading an object that does not exist', async () => {
    const error = await failure(admin().request('GET', `/api/v1/namespaces/${NS}/configmaps/none`));
    expect(reasonOf(error)).toBe('NotFound');
    expect([isNotFound(error), isNamespaceGone(error)]).toEqual([true, false]);
  });

  it('AlreadyExists and Conflict: both 409, told apart by reason', async () => {
    const path = `/api/v1/namespaces/${NS}/configmaps`;
    const created = await admin().request<{ metadata: Record<string, unknown> }>('POST', path, {
      body: configMap('c'),
    });
    const again = await failure(admin().request('POST', path, { body: configMap('c') }));
    expect([isAlreadyExists(again), isConflict(again)]).toEqual([true, false]);

    await admin().request('PUT', `${path}/c`, { body: { ...configMap('c'), data: { a: '2' } } });
    const stale = await failure(
      admin().request('PUT', `${path}/c`, {
        body: { ...configMap('c'), metadata: created.metadata, data: { a: '3' } },
      }),
    );
    expect([isConflict(stale), isAlreadyExists(stale)]).toEqual([true, false]);
  });

  it('Invalid: an object that fails validation', async () => {
    const error = await failure(
      admin().request('POST', `/api/v1/namespaces/${NS}/configmaps`, {
        body: configMap('Not_A_Name'),
      }),
    );
    expect(isInvalid(error)).toBe(true);
  });

  it('Forbidden: a ServiceAccount without RBAC rights', async () => {
    await kubectlOk(['create', 'serviceaccount', 'nobody', '-n', NS]);
    const token = (await kubectlOk(['create', 'token', 'nobody', '-n', NS])).trim();
    const file = join(dir, 'kubeconfig');
    writeFileSync(file, tokenKubeconfig(inject('kubeconfig'), 'nobody', token));
    const error = await failure(rest(file).request('GET', `/api/v1/namespaces/${NS}/configmaps`));
    expect([isForbidden(error), isNamespaceGone(error)]).toEqual([true, false]);
  });

  it('a namespace that does not exist, and one being deleted', async () => {
    const missing = await failure(
      admin().request('POST', '/api/v1/namespaces/oos-no-such-namespace/configmaps', {
        body: configMap('c', 'oos-no-such-namespace'),
      }),
    );
    expect([isNotFound(missing), isNamespaceGone(missing)]).toEqual([true, true]);

    // A finalizer keeps the namespace in Terminating while the test writes into it.
    await kubectlOk(['create', 'namespace', DOOMED]);
    await admin().request('POST', `/api/v1/namespaces/${DOOMED}/configmaps`, {
      body: {
        ...configMap('held', DOOMED),
        metadata: { name: 'held', namespace: DOOMED, finalizers: [HOLD] },
      },
    });
    await kubectlOk(['delete', 'namespace', DOOMED, '--wait=false']);
    await waitFor('the namespace to be terminating', async () => {
      const phase = await kubectlOk(['get', 'namespace', DOOMED, '-o', 'jsonpath={.status.phase}']);
      return phase === 'Terminating' ? true : undefined;
    });
    const terminating = await failure(
      admin().request('POST', `/api/v1/namespaces/${DOOMED}/configmaps`, {
        body: configMap('late', DOOMED),
      }),
    );
    expect([isForbidden(terminating), isNamespaceGone(terminating)]).toEqual([true, true]);
  });
});
