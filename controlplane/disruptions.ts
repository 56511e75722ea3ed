/**
 * What the reliability scenarios do to a running control plane, the way it happens to a real
 * one: kube-apiserver restarted in place (same binary, flags, port and certificates: every
 * client's connections and watches break, its watch cache starts empty) and etcd compacted.
 */
import { request } from 'node:http';
import { adminTlsOf, readState, waitUntil, writeState } from './controlplane.js';
import { ControlPlaneError } from './errors.js';
import { httpsStatus } from './health.js';
import { startProcess, stopProcess, type ManagedProcess } from './processes.js';

const APISERVER = 'kube-apiserver';

function recorded(dir: string): {
  state: NonNullable<ReturnType<typeof readState>>;
  apiserver: ManagedProcess;
} {
  const state = readState(dir);
  const apiserver = state?.processes.find((p) => p.name === APISERVER);
  if (state === undefined || apiserver === undefined) {
    throw new ControlPlaneError(
      'OOS_ERR_USAGE',
      `no control plane is recorded in ${dir}: start one with \`npm run cluster:up\` first`,
    );
  }
  if (apiserver.args === undefined) {
    throw new ControlPlaneError(
      'OOS_ERR_USAGE',
      `the control plane in ${dir} was started by an older oos that did not record kube-apiserver's ` +
        'flags: run `npm run cluster:down` and `npm run cluster:up` again',
    );
  }
  return { state, apiserver };
}

export interface Restarted {
  /** When kube-apiserver was sent SIGTERM (epoch ms). */
  readonly stoppingAt: number;
  /** When its process had exited. */
  readonly stoppedAt: number;
  /** When the new process answered /readyz 200. */
  readonly readyAt: number;
}

/**
 * Restarts kube-apiserver in place: SIGTERM (its graceful shutdown: it stops listening at once,
 * lets in-flight requests finish), SIGKILL after `graceMs` (its HTTP server would wait up to
 * 60 s for the watch connections it does not close itself), then the same binary with the same
 * arguments, so the port, the certificates and every kubeconfig stay valid. Resolves once
 * /readyz answers 200; the state file names the new pid.
 */
export async function restartApiserver(dir: string, graceMs = 10_000): Promise<Restarted> {
  const { state, apiserver } = recorded(dir);
  const stoppingAt = Date.now();
  await stopProcess(apiserver, graceMs);
  const stoppedAt = Date.now();
  const started = startProcess(APISERVER, apiserver.bin, apiserver.args ?? [], apiserver.log);
  writeState({
    ...state,
    processes: state.processes.map((p) =>
      p.name === APISERVER
        ? { name: p.name, pid: started.pid, bin: p.bin, log: p.log, args: p.args ?? [] }
        : p,
    ),
  });
  const tls = adminTlsOf(state);
  await waitUntil(
    APISERVER,
    async () => (await httpsStatus(`${state.server}/readyz`, tls)) === 200,
    [started],
  );
  return { stoppingAt, stoppedAt, readyAt: Date.now() };
}

/** The etcd client URL kube-apiserver was started with. */
function etcdUrl(apiserver: ManagedProcess): string {
  const flag = (apiserver.args ?? []).find((a) => a.startsWith('--etcd-servers='));
  const url = flag?.slice('--etcd-servers='.length).split(',')[0];
  if (url === undefined || url === '') {
    throw new ControlPlaneError(
      'OOS_ERR_USAGE',
      'kube-apiserver was started without --etcd-servers',
    );
  }
  return url;
}

/** POST a JSON body to etcd's v3 JSON gateway (plain HTTP on loopback, as the control plane runs it). */
function etcdCall<T>(base: string, path: string, body: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: 30_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          if ((res.statusCode ?? 0) !== 200) {
            reject(
              new ControlPlaneError(
                'OOS_ERR_CONTROLPLANE_START',
                `etcd ${path} answered ${String(res.statusCode)}: ${text.slice(0, 300)}`,
              ),
            );
            return;
          }
          resolve(JSON.parse(text) as T);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`etcd ${path} timed out`)));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

export interface Compacted {
  /** The revision compacted to: every older revision is gone, a watch from one gets 410 Gone. */
  readonly revision: number;
}

/**
 * Compacts etcd's whole keyspace at its current revision (physically: the call returns once the
 * old revisions are removed), through etcd's v3 JSON gateway on its client URL. A watch or a list
 * that asks etcd for an older revision from now on gets "required revision has been compacted",
 * which kube-apiserver passes on as 410 Gone.
 */
export async function compactEtcd(dir: string): Promise<Compacted> {
  const { apiserver } = recorded(dir);
  const base = etcdUrl(apiserver);
  // A range over one key returns the store's current revision in its header.
  const range = await etcdCall<{ header?: { revision?: string } }>(base, '/v3/kv/range', {
    key: Buffer.from('/').toString('base64'),
  });
  const revision = Number(range.header?.revision);
  if (!Number.isInteger(revision) || revision <= 0) {
    throw new ControlPlaneError(
      'OOS_ERR_CONTROLPLANE_START',
      `etcd did not report its revision: ${JSON.stringify(range)}`,
    );
  }
  await etcdCall(base, '/v3/kv/compaction', { revision: String(revision), physical: true });
  return { revision };
}
