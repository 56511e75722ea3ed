import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { credentialAccess, type ApiAccess, type Credentials, type Source } from './access.js';
import { clientNodeAccess } from './client-node-access.js';

/**
 * The kubeconfig reader of the operator and the CLI. It reads what kubectl reads (client
 * certificates, tokens, token files, basic auth, `as`, in-cluster ServiceAccounts) itself and
 * hands a user with an `exec` plugin or an `auth-provider` to `@kubernetes/client-node`, loaded
 * only then: that library holds about 27 MiB of each thread's heap, for a kubeconfig reader.
 */

/** Where a Pod's ServiceAccount token, CA and namespace are mounted. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** A kubeconfig that cannot be read or names nothing usable. */
export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
  }
}

export interface KubeconfigChoice {
  /** A kubeconfig file; else `$KUBECONFIG` (a list, merged as kubectl does), `~/.kube/config`, in-cluster. */
  readonly file?: string;
  /** A context of the kubeconfig; else its `current-context`. */
  readonly context?: string;
}

export interface Kubeconfig {
  readonly access: ApiAccess;
  /** The chosen context's namespace, or the Pod's own namespace in-cluster. */
  readonly namespace: string | undefined;
}

/** Where the kubeconfig is read from (tests give their own). */
export interface KubeconfigPlaces {
  readonly env: NodeJS.ProcessEnv;
  readonly home: string;
  readonly serviceAccountDir: string;
}

type Entry = Readonly<Record<string, unknown>>;

/** The named entries of every file, the first file naming one winning (kubectl's merge). */
interface Merged {
  readonly clusters: Map<string, Entry>;
  readonly users: Map<string, Entry>;
  readonly contexts: Map<string, Entry>;
  currentContext: string | undefined;
}

const text = (entry: Entry, key: string): string | undefined => {
  const value = entry[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

function record(value: unknown, what: string): Entry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KubeconfigError(`${what} is not a mapping`);
  }
  return value as Entry;
}

/** Adds one file's clusters, users and contexts, with relative file paths made absolute. */
function mergeFile(merged: Merged, file: string): void {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new KubeconfigError(
      `cannot read the kubeconfig ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const root = document === null || document === undefined ? {} : record(document, file);
  const base = dirname(resolve(file));
  const absolute = (entry: Entry, keys: readonly string[]): Entry => {
    const copy: Record<string, unknown> = { ...entry };
    for (const key of keys) {
      const value = text(entry, key);
      if (value !== undefined && !isAbsolute(value)) copy[key] = join(base, value);
    }
    return copy;
  };
  const lists = [
    ['clusters', 'cluster', merged.clusters, ['certificate-authority']],
    ['users', 'user', merged.users, ['client-certificate', 'client-key', 'tokenFile']],
    ['contexts', 'context', merged.contexts, []],
  ] as const;
  for (const [list, field, into, paths] of lists) {
    const items = root[list] ?? [];
    if (!Array.isArray(items)) throw new KubeconfigError(`${file}: ${list} is not a list`);
    for (const [index, item] of (items as unknown[]).entries()) {
      const named = record(item, `${file}: ${list}[${String(index)}]`);
      const name = text(named, 'name');
      if (name === undefined || into.has(name)) continue;
      into.set(name, absolute(record(named[field] ?? {}, `${file}: ${list}.${name}`), paths));
    }
  }
  merged.currentContext ??= text(root, 'current-context');
}

const decoded = (entry: Entry, dataKey: string, fileKey: string): Source | undefined => {
  const data = text(entry, dataKey);
  if (data !== undefined) return { data: Buffer.from(data, 'base64') };
  const file = text(entry, fileKey);
  return file === undefined ? undefined : { file };
};

/** The credentials of a kubeconfig's cluster and user (neither `exec` nor `auth-provider`). */
function credentials(cluster: Entry, user: Entry, server: string): Credentials {
  const ca = decoded(cluster, 'certificate-authority-data', 'certificate-authority');
  const cert = decoded(user, 'client-certificate-data', 'client-certificate');
  const key = decoded(user, 'client-key-data', 'client-key');
  const token = text(user, 'token');
  const tokenFile = text(user, 'tokenFile');
  const username = text(user, 'username');
  const as = text(user, 'as');
  const groups = Array.isArray(user['as-groups'])
    ? (user['as-groups'] as unknown[]).filter((group): group is string => typeof group === 'string')
    : [];
  const serverName = text(cluster, 'tls-server-name');
  return {
    server,
    ...(ca === undefined ? {} : { ca }),
    ...(cert === undefined ? {} : { cert }),
    ...(key === undefined ? {} : { key }),
    ...(token !== undefined
      ? { token: { data: Buffer.from(token) } }
      : tokenFile !== undefined
        ? { token: { file: tokenFile } }
        : {}),
    ...(username === undefined
      ? {}
      : { basic: { username, password: text(user, 'password') ?? '' } }),
    ...(cluster['insecure-skip-tls-verify'] === true ? { insecure: true } : {}),
    ...(serverName === undefined ? {} : { serverName }),
    ...(as === undefined ? {} : { impersonate: { user: as, groups } }),
  };
}

function fromFiles(files: readonly string[], choice: KubeconfigChoice): Kubeconfig {
  const merged: Merged = {
    clusters: new Map(),
    users: new Map(),
    contexts: new Map(),
    currentContext: undefined,
  };
  for (const file of files) mergeFile(merged, file);
  const name = choice.context ?? merged.currentContext;
  if (name === undefined) {
    throw new KubeconfigError(
      'the kubeconfig has no current cluster: pass --kubeconfig or --context',
    );
  }
  const context = merged.contexts.get(name);
  if (context === undefined) {
    const known = [...merged.contexts.keys()].join(', ') || 'none';
    throw new KubeconfigError(
      `the kubeconfig has no context ${JSON.stringify(name)} (contexts: ${known})`,
    );
  }
  const clusterName = text(context, 'cluster') ?? '';
  const cluster = merged.clusters.get(clusterName);
  const server = cluster === undefined ? undefined : text(cluster, 'server');
  if (cluster === undefined || server === undefined) {
    throw new KubeconfigError(
      `the context ${JSON.stringify(name)} names no cluster with a server (${JSON.stringify(clusterName)})`,
    );
  }
  if (text(cluster, 'proxy-url') !== undefined) {
    throw new KubeconfigError(
      `the cluster ${JSON.stringify(clusterName)} has a proxy-url: oos connects to the apiserver directly`,
    );
  }
  const userName = text(context, 'user') ?? '';
  const user = merged.users.get(userName) ?? {};
  const namespace = text(context, 'namespace');
  const access =
    user.exec !== undefined || user['auth-provider'] !== undefined
      ? clientNodeAccess(server, {
          name,
          cluster: { name: clusterName, cluster },
          user: { name: userName, user },
        })
      : credentialAccess(credentials(cluster, user, server));
  return { access, namespace };
}

/** A Pod's own ServiceAccount, as client-go's in-cluster config: always HTTPS, the token re-read. */
function inCluster(places: KubeconfigPlaces): Kubeconfig {
  const host = places.env.KUBERNETES_SERVICE_HOST;
  const port = places.env.KUBERNETES_SERVICE_PORT;
  if (host === undefined || host === '' || port === undefined || port === '') {
    throw new KubeconfigError(
      'a ServiceAccount token is mounted but KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set',
    );
  }
  const dir = places.serviceAccountDir;
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile)
    ? readFileSync(namespaceFile, 'utf8').trim()
    : undefined;
  return {
    access: credentialAccess({
      server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
      ca: { file: join(dir, 'ca.crt') },
      token: { file: join(dir, 'token') },
    }),
    namespace,
  };
}

/** The user's home, or '' for a user without one (an image's numeric user with no HOME). */
function home(): string {
  try {
    return homedir();
  } catch {
    return '';
  }
}

const defaultPlaces = (): KubeconfigPlaces => ({
  env: process.env,
  home: home(),
  serviceAccountDir: SERVICE_ACCOUNT_DIR,
});

/**
 * The kubeconfig kubectl would use: `choice.file`, else every file of `$KUBECONFIG` merged,
 * else `~/.kube/config`, else the Pod's ServiceAccount. Nothing found is an error (client-node
 * would fall back to `http://localhost:8080`).
 */
export function loadKubeconfig(
  choice: KubeconfigChoice,
  places: KubeconfigPlaces = defaultPlaces(),
): Kubeconfig {
  if (choice.file !== undefined) return fromFiles([choice.file], choice);
  const listed = (places.env.KUBECONFIG ?? '').split(delimiter).filter((file) => file !== '');
  if (listed.length > 0) {
    // kubectl skips the files of the list that do not exist.
    const present = listed.filter((file) => existsSync(file));
    if (present.length === 0) {
      throw new KubeconfigError(`no file of KUBECONFIG exists (${listed.join(delimiter)})`);
    }
    return fromFiles(present, choice);
  }
  const own = places.home === '' ? undefined : join(places.home, '.kube', 'config');
  if (own !== undefined && existsSync(own)) return fromFiles([own], choice);
  if (existsSync(join(places.serviceAccountDir, 'token'))) {
    if (choice.context !== undefined) {
      throw new KubeconfigError(
        `no kubeconfig holds the context ${JSON.stringify(choice.context)}`,
      );
    }
    return inCluster(places);
  }
  throw new KubeconfigError(
    'no kubeconfig: pass --kubeconfig, set KUBECONFIG, write ~/.kube/config or run in a Pod with a ServiceAccount',
  );
}
