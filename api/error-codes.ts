/**
 * Every `OOS_ERR_*` code oos reports, once: who reports it, what it means and what to do. The
 * error classes and answers type their codes as {@link ErrorCode}, so a code that is not here
 * does not compile; docs/errors.md is generated from this table (`npm run docs:errors`) and a
 * unit test fails when the two differ.
 */
export const ERROR_CODES = {
  OOS_ERR_USAGE: {
    from: 'oos CLI',
    means: 'a command, flag or argument the CLI does not know or that is missing',
    action: 'run the command with `--help` and fix the command line',
  },
  OOS_ERR_FILE_NOT_FOUND: {
    from: 'oos CLI',
    means: 'a file or directory given with `-f` or `--governance` does not exist',
    action: 'check the path',
  },
  OOS_ERR_NO_MANIFESTS: {
    from: 'oos CLI',
    means: 'a directory given with `-f` holds no `.yaml`, `.yml` or `.json` file',
    action: 'point at the manifests themselves',
  },
  OOS_ERR_YAML: {
    from: 'oos CLI',
    means: 'a manifest is not valid YAML or JSON (the message gives file, line and column)',
    action: 'fix the syntax at that position',
  },
  OOS_ERR_NOT_AN_OBJECT: {
    from: 'oos CLI',
    means: 'a YAML document is not a Kubernetes object (it needs `apiVersion` and `kind`)',
    action: 'fix or remove that document',
  },
  OOS_ERR_UNKNOWN_KIND: {
    from: 'oos CLI',
    means: 'a governance file holds a kind of the `oos.dev` group that does not exist',
    action: 'use one of the seven kinds of docs/api.md',
  },
  OOS_ERR_INVALID_OBJECT: {
    from: 'oos CLI',
    means: 'a governance object fails its schema (the message names the field)',
    action: 'fix the field; the CRD would refuse the same object',
  },
  OOS_ERR_UNKNOWN_FIELD: {
    from: 'oos CLI',
    means: 'a governance object has a field its schema does not know (a typo, most often)',
    action: 'remove or correct the field',
  },
  OOS_ERR_INTERNAL: {
    from: 'oos CLI, admission server',
    means: 'an unexpected failure inside oos; the admission server answers HTTP 500',
    action: 'report it with the operator log (the CLI prints the message)',
  },
  OOS_ERR_KUBECONFIG: {
    from: 'oos CLI (cluster commands, register)',
    means: 'the kubeconfig cannot be read, or has no such context or no current cluster',
    action: 'pass `--kubeconfig` and `--context` as for kubectl',
  },
  OOS_ERR_CLUSTER_READ: {
    from: 'oos CLI (cluster commands, register)',
    means:
      'the apiserver cannot be reached, refuses the user altogether, or cannot say who they are',
    action:
      'check the cluster and your credentials with `kubectl auth whoami`; for `mine`, pass `--user`',
  },
  OOS_ERR_CONTENT_CHANGED: {
    from: 'oos CLI (`approve --digest`)',
    means: 'the Exemption is no longer the content you reviewed (its digest differs)',
    action: 'review it again (`oos who`, `kubectl get`) and approve the content shown',
  },
  OOS_ERR_OUTPUT: {
    from: 'oos CLI (`register --output`)',
    means: 'the register page cannot be written to the file given',
    action: 'choose a writable path; nothing half-written is left behind',
  },
  OOS_ERR_LISTEN: {
    from: 'oos CLI (`register`)',
    means: 'the register cannot listen on the loopback address and port asked for',
    action: 'choose another `--port`, or `--port 0` for a free one',
  },
  OOS_ERR_INVALID_DURATION: {
    from: 'API',
    means:
      'a duration is not in the oos format (a whole number of `d`, `h`, `m` or `s`, e.g. `90m`)',
    action: 'write the duration as docs/api.md describes',
  },
  OOS_ERR_CRD_GENERATION: {
    from: '`npm run generate`',
    means: 'a schema of `api/` cannot be expressed as a CRD (every problem is listed)',
    action: 'change the schema as the list says, then generate again',
  },
  OOS_ERR_BAD_ADMISSION_REVIEW: {
    from: 'admission server',
    means: 'HTTP 400: the body is not JSON or not an AdmissionReview, and carries no readable uid',
    action: 'only the kube-apiserver should call the webhook; check what sent the request',
  },
  OOS_ERR_BODY_TOO_DEEP: {
    from: 'admission server',
    means: 'HTTP 400: the body nests deeper than `--max-body-depth` and carries no readable uid',
    action:
      'nothing for a real object; raise `--max-body-depth` only for a custom resource that needs it',
  },
  OOS_ERR_BODY_TOO_LARGE: {
    from: 'admission server',
    means: 'HTTP 413: the body is larger than `--body-limit`; the connection is closed',
    action: 'raise `--body-limit` to twice the JSON of the largest object the apiserver accepts',
  },
  OOS_ERR_UNSUPPORTED_MEDIA_TYPE: {
    from: 'admission server',
    means: 'HTTP 415: the body is not `application/json`',
    action: 'only the kube-apiserver should call the webhook',
  },
  OOS_ERR_BAD_REQUEST: {
    from: 'admission server',
    means: 'HTTP 4xx: any other request the server cannot read',
    action: 'only the kube-apiserver should call the webhook',
  },
  OOS_ERR_NOT_FOUND: {
    from: 'admission server',
    means: 'HTTP 404: no such route; admission is `POST /validate` and `POST /mutate`',
    action: "check the webhook configuration's path",
  },
  OOS_ERR_CONFIG: {
    from: 'operator',
    means:
      'a flag or environment variable of the operator is unknown or invalid; it does not start',
    action: 'run it with `--help` and fix the flag the message names',
  },
  OOS_ERR_OPERATOR_IDENTITY: {
    from: 'operator',
    means: 'the apiserver would not say which user the operator runs as (SelfSubjectReview)',
    action: 'pass `--operator-user <username>` (every authenticated identity may normally ask)',
  },
  OOS_ERR_CRDS_MISSING: {
    from: 'operator',
    means:
      'the apiserver does not serve the `oos.dev` kinds (the CRDs are not installed); it does not start',
    action:
      'install them: `kubectl apply --server-side -f crds/` (`helm install` installs them too)',
  },
  OOS_ERR_NAMESPACE_MISSING: {
    from: 'operator',
    means:
      "the operator's namespace (`--namespace`, default `oos-system`) does not exist; it does not start",
    action:
      '`kubectl create namespace oos-system`, or pass `--namespace` with an existing namespace',
  },
  OOS_ERR_KUBE_API: {
    from: 'operator',
    means:
      'the apiserver refused a request of the operator (the message has its status and reason)',
    action: "check the operator's RBAC and the apiserver's health; the controller retries",
  },
  OOS_ERR_DELIVERY: {
    from: 'operator',
    means: 'an escalation could not be sent to Alertmanager or the escalation webhook',
    action: 'check the URL and the receiver; retryable failures are retried with backoff',
  },
  OOS_ERR_GO_MISSING: {
    from: 'local control plane',
    means: '`go` is not on the PATH, so the control plane cannot be built from source',
    action: 'install Go 1.26.7 or newer',
  },
  OOS_ERR_CONTROLPLANE_BUILD: {
    from: 'local control plane',
    means:
      '`go build` of etcd, kube-apiserver, kube-controller-manager, kubectl, helm, promtool or Alertmanager failed',
    action:
      'check that the Go module proxy is reachable and the disk has room, then run `npm run controlplane:build` again',
  },
  OOS_ERR_TOOL_MISSING: {
    from: 'local control plane',
    means: 'a tool the tests run (kubectl, helm, promtool, Alertmanager) is not in the cache yet',
    action: 'run `npm run controlplane:build` (`npm test` runs it first)',
  },
  OOS_ERR_PORT_IN_USE: {
    from: 'local control plane',
    means: 'a loopback port chosen for a process was taken in the meantime',
    action: 'run the command again (ports are chosen at random)',
  },
  OOS_ERR_CONTROLPLANE_START: {
    from: 'local control plane',
    means: 'etcd, kube-apiserver or kube-controller-manager exited during start-up',
    action: 'read the end of its log, printed with the message',
  },
  OOS_ERR_CONTROLPLANE_TIMEOUT: {
    from: 'local control plane',
    means: 'a process of the control plane was not ready in time',
    action: 'check that the machine is not out of memory or disk, then try again',
  },
  OOS_ERR_NODE_UNSUPPORTED: {
    from: 'local node',
    means:
      'the local worker node cannot run here: not Linux, not root, or a program it needs (iptables, conntrack, libseccomp for building runc) is missing',
    action:
      'run `scripts/install-test-deps.sh` as root, then `npm run cluster:up -- --node` as root',
  },
  OOS_ERR_NODE_BUSY: {
    from: 'local node',
    means:
      'the node network namespace `oos-node` exists: a node is running or a crashed one left it',
    action: 'run `npm run cluster:down`, which removes it, then try again',
  },
  OOS_ERR_NODE_START: {
    from: 'local node',
    means:
      'a step of starting the node failed, or containerd, the kubelet, kube-proxy, kube-scheduler or kube-router (the NetworkPolicy firewall) exited or was not ready in time',
    action: 'read the command or log quoted with the message; everything made so far was undone',
  },
  OOS_ERR_NODE_TEARDOWN: {
    from: 'local node',
    means: 'something under the cluster directory stayed mounted, so the directory was kept',
    action:
      'stop what uses the mounts listed, `umount` them, then run `npm run cluster:down` again',
  },
  OOS_ERR_NODE_NOT_RUNNING: {
    from: 'local node',
    means: 'an image import was asked for, but no local node is running',
    action: 'start one with `npm run cluster:up -- --node`',
  },
  OOS_ERR_IMAGE_IMPORT: {
    from: 'local node',
    means: "the node's runtime refused the image archive",
    action: 'give an OCI image layout or `docker save` archive (uncompressed tar)',
  },
  OOS_ERR_INSTALL: {
    from: 'local node (`npm run cluster:install`)',
    means:
      "helm could not install or uninstall the chart on the local node, or the operator's Pods were not Ready within 5 minutes",
    action:
      "read helm's words, the Pods and events printed with the message (`kubectl -n oos-system describe pods`, `kubectl -n oos-system logs deploy/oos`), fix the cause and install again",
  },
  OOS_ERR_IMAGE_DEPS: {
    from: 'npm run image',
    means:
      'the image build needs root (BuildKit runs the RUN steps in containers) and debootstrap, gcc and libseccomp-dev',
    action: 'run `scripts/install-test-deps.sh`, then `npm run image` as root',
  },
  OOS_ERR_IMAGE_INTEGRITY: {
    from: 'npm run image',
    means:
      'a package fetched for the base image (Node.js, npm) does not match the integrity pinned in controlplane/image/versions.ts',
    action:
      'do not use the download; check the npm registry you reach, or pin the new integrity after checking it',
  },
  OOS_ERR_IMAGE_BUILD: {
    from: 'npm run image',
    means: 'making the base image, building BuildKit or runc, or the Dockerfile build failed',
    action:
      'read the end of the log printed with the message, fix the cause and run `npm run image` again',
  },
} as const satisfies Record<`OOS_ERR_${string}`, ErrorCodeEntry>;

export interface ErrorCodeEntry {
  /** The part of oos that reports it. */
  readonly from: string;
  readonly means: string;
  /** What the person who sees it should do. */
  readonly action: string;
}

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * An error with an `OOS_ERR_*` code ({@link ERROR_CODES} says what it means and what to do);
 * each part of oos names its own subclass.
 */
export class CodedError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The table of docs/errors.md, rendered from {@link ERROR_CODES}. */
export function errorCodesMarkdown(): string {
  const rows = Object.entries(ERROR_CODES).map(
    ([code, entry]) => `| \`${code}\` | ${entry.from} | ${entry.means} | ${entry.action} |`,
  );
  return ['| code | from | means | do |', '|---|---|---|---|', ...rows].join('\n');
}
