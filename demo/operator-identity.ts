import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tokenKubeconfig } from '../controlplane/kubeconfig.js';
import type { Terminal } from './terminal.js';

/** The operator's ServiceAccount, as the chart names it: `--operator-user` defaults to it. */
const SERVICE_ACCOUNT = 'oos';

/**
 * A kubeconfig for the operator's own ServiceAccount (bound to cluster-admin: this is a demo),
 * next to the admin kubeconfig. The operator acts as its ServiceAccount, as it does in a cluster,
 * so the status it writes and the Escalations it deletes are its own, and the admin's requests in
 * the story are judged like anyone's.
 */
export async function operatorKubeconfig(
  t: Terminal,
  adminKubeconfig: string,
  namespace: string,
): Promise<string> {
  await t.must(['create', 'serviceaccount', SERVICE_ACCOUNT, '-n', namespace]);
  await t.must([
    ...['create', 'clusterrolebinding', 'oos-demo-operator', '--clusterrole=cluster-admin'],
    `--serviceaccount=${namespace}:${SERVICE_ACCOUNT}`,
  ]);
  const token = (
    await t.must(['create', 'token', SERVICE_ACCOUNT, '-n', namespace, '--duration=24h'])
  ).trim();
  const file = join(dirname(adminKubeconfig), 'operator.kubeconfig');
  writeFileSync(file, tokenKubeconfig(adminKubeconfig, SERVICE_ACCOUNT, token), { mode: 0o600 });
  return file;
}
