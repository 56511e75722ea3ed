/**
 * oos as the chart installed it on the local node, seen and disturbed from the host: its
 * replicas, their metrics (through the apiserver's proxy), the certificate each one serves, the
 * leader Lease, and SIGKILL of a replica's operator process (found by its Pod's cgroup).
 */
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { runKubectl, type KubectlOptions } from '../../controlplane/kubectl.js';
import type { OosRelease } from '../../controlplane/node/oos-release.js';
import { BenchClient } from '../controller-scale/client.js';

export interface Replica {
  readonly pod: string;
  readonly uid: string;
  readonly ip: string;
  readonly ready: boolean;
}

interface PodList {
  items: {
    metadata: { name: string; uid: string; deletionTimestamp?: string };
    status?: { podIP?: string; conditions?: { type: string; status: string }[] };
  }[];
}

export class NodeTarget {
  readonly client: BenchClient;

  constructor(
    readonly release: OosRelease,
    readonly kubeconfig: string,
    readonly clusterDir: string,
    private readonly kubectlBin: string,
    readonly log: (line: string) => void,
  ) {
    this.client = BenchClient.fromFile(kubeconfig);
  }

  get namespace(): string {
    return this.release.namespace;
  }

  /** kubectl as the admin (or a person, with `as`); throws with its stderr when it fails. */
  async kubectl(args: readonly string[], options: KubectlOptions = {}): Promise<string> {
    const r = await runKubectl(this.kubectlBin, this.kubeconfig, args, options);
    if (r.code !== 0)
      throw new Error(`kubectl ${args.join(' ')} exited ${String(r.code)}: ${r.stderr}`);
    return r.stdout;
  }

  /** The operator's Pods that are not being deleted. */
  async replicas(): Promise<Replica[]> {
    const list = await this.client.request<PodList>(
      'GET',
      `/api/v1/namespaces/${this.namespace}/pods?labelSelector=${encodeURIComponent(`app.kubernetes.io/instance=${this.release.release}`)}`,
    );
    return list.items
      .filter((p) => p.metadata.deletionTimestamp === undefined)
      .map((p) => ({
        pod: p.metadata.name,
        uid: p.metadata.uid,
        ip: p.status?.podIP ?? '',
        ready: (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
      }));
  }

  /** A replica's /metrics, through the apiserver's proxy to the Pod. */
  metrics(pod: string): Promise<string> {
    return this.client.request<string>(
      'GET',
      `/api/v1/namespaces/${this.namespace}/pods/https:${pod}:8443/proxy/metrics`,
    );
  }

  /** The holder of the controller's Lease (`<pod>_<uuid>`), or undefined. */
  async leaseHolder(): Promise<string | undefined> {
    try {
      const lease = await this.client.request<{ spec?: { holderIdentity?: string } }>(
        'GET',
        `/apis/coordination.k8s.io/v1/namespaces/${this.namespace}/leases/oos-controller`,
      );
      const holder = lease.spec?.holderIdentity;
      return holder === '' ? undefined : holder;
    } catch {
      return undefined;
    }
  }

  /** The serial of the serving certificate in the chart's Secret. */
  async storedSerial(): Promise<string> {
    const secret = await this.client.request<{ data?: Record<string, string> }>(
      'GET',
      `/api/v1/namespaces/${this.namespace}/secrets/${this.release.fullname}-webhook-tls`,
    );
    return new X509Certificate(Buffer.from(secret.data?.['tls.crt'] ?? '', 'base64')).serialNumber;
  }

  /** The serial of the certificate a replica serves now (its Pod IP is routed from the host). */
  servedSerial(ip: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: ip, port: 8443, rejectUnauthorized: false }, () => {
        const serial = socket.getPeerCertificate().serialNumber;
        socket.end();
        resolve(serial);
      });
      socket.setTimeout(5_000, () => socket.destroy(new Error(`no TLS answer from ${ip}:8443`)));
      socket.on('error', reject);
    });
  }

  /**
   * SIGKILL of every process of a Pod but its sandbox (the operator: no shutdown, the Lease is
   * not released), found by the Pod's cgroup as the kubelet (cgroupfs driver) names it.
   */
  killPod(uid: string): number[] {
    const killed: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const cgroup = readFileSync(`/proc/${entry}/cgroup`, 'utf8');
        if (!cgroup.includes(`pod${uid}`)) continue;
        const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        if (argv.some((a) => a.endsWith('pause'))) continue;
        process.kill(Number(entry), 'SIGKILL');
        killed.push(Number(entry));
      } catch {
        // gone meanwhile
      }
    }
    return killed;
  }

  close(): void {
    this.client.close();
  }
}
